//go:build !amd64

package hl7

const useAVX2 = false

func scanBlocksAVX2(p *byte, n int, sep byte, out *blockMasks, nout int) (consumed, written int) {
	panic("unreachable")
}
