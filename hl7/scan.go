package hl7

import (
	"encoding/binary"
	"math/bits"
)

// The message scanner finds every field separator, CR and LF of a message
// in one pass. A kernel (AVX2 where the CPU has it, eight bytes at a time in
// Go otherwise) turns each 64-byte block into bit masks, writes the offset
// of every match, and reports the blocks holding a CR or LF; a block with
// nothing in it costs one compare, so long values (base64 payloads) cost no
// more than the scan.

// blockSize is the number of bytes a kernel mask covers.
const blockSize = 64

const (
	ones = 0x0101010101010101
	low7 = 0x7f7f7f7f7f7f7f7f
)

// zeroBytes returns a word with the high bit of each byte set exactly where
// that byte of x is zero.
func zeroBytes(x uint64) uint64 { return ^((x&low7 + low7) | x | low7) }

// gather packs the high bits of the eight bytes of z into the low eight
// bits, byte 0 first.
func gather(z uint64) uint64 { return (z >> 7) * 0x0102040810204080 >> 56 }

// masksOf returns the masks of one 64-byte block in portable Go, eight
// bytes at a time: bit i of sep is set where blk[i] is the field separator,
// bit i of term where it is CR or LF.
func masksOf(blk []byte, sep byte) (sm, tm uint64) {
	pat := uint64(sep) * ones
	const cr, lf = '\r' * ones, '\n' * ones
	blk = blk[:blockSize]
	for w := 0; w < blockSize; w += 8 {
		x := binary.LittleEndian.Uint64(blk[w:])
		sm |= gather(zeroBytes(x^pat)) << w
		tm |= gather(zeroBytes(x^cr)|zeroBytes(x^lf)) << w
	}
	return sm, tm
}

// tz is bits.TrailingZeros64 as a uint32.
func tz(x uint64) uint32 { return uint32(bits.TrailingZeros64(x)) }

// A termBlock describes a 64-byte block holding a CR or LF, as scanEmit
// reports it: the masks of all its separators and terminators and of its
// terminators (bit i for byte i), its offset from the start of the scanned
// bytes and the number of entries scanEmit wrote before it.
type termBlock struct {
	all, term uint64
	off, n0   uint32
}

// scanEmit scans the 64-byte blocks of p[:len(p)&^63]. For each field
// separator, CR and LF it appends base plus its offset in p to out, in
// order. For each block holding a CR or LF it appends a termBlock to masks.
// It stops after the block that fills masks, and before a block when out
// has less than emitRoom entries of room left. It returns the bytes
// consumed and the entries and termBlocks written.
func scanEmit(p []byte, sep byte, base uint32, out []uint32, masks []termBlock) (consumed, nout, nm int) {
	nb := len(p) / blockSize
	if nb == 0 || len(masks) == 0 || len(out) < emitRoom {
		return 0, 0, 0
	}
	if useEmitAVX2 {
		c, w, m := scanEmitAVX2(&p[0], nb, sep, base, &out[0], len(out), &masks[0], len(masks))
		return c * blockSize, w, m
	}
	return scanEmitGeneric(p, sep, base, out, masks)
}

// emitRoom is the room in entries scanEmit needs for one block: 64, and 8
// for the surplus of writing eight at a time.
const emitRoom = blockSize + 8

// scanEmitGeneric is the portable scanEmit.
func scanEmitGeneric(p []byte, sep byte, base uint32, out []uint32, masks []termBlock) (consumed, nout, nm int) {
	nb := len(p) / blockSize
	for b := range nb {
		sm, term := masksOf(p[b*blockSize:], sep)
		all := sm | term
		if all == 0 {
			continue
		}
		if nout+emitRoom > len(out) {
			return b * blockSize, nout, nm
		}
		if term != 0 {
			masks[nm] = termBlock{all: all, term: term, off: uint32(b * blockSize), n0: uint32(nout)}
			nm++
		}
		nout = emitAt(out, nout, all, base+uint32(b*blockSize))
		if nm == len(masks) {
			return (b + 1) * blockSize, nout, nm
		}
	}
	return nb * blockSize, nout, nm
}
