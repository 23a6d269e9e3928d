//go:build !amd64

package hl7

var useAVX2 = false

func scanBlocksAVX2(p *byte, n int, sep byte, out *blockMasks, nout int) (consumed, written int) {
	panic("unreachable")
}
