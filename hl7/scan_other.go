//go:build !amd64

package hl7

var useEmitAVX2 = false

func scanEmitAVX2(p *byte, n int, sep byte, base uint32, out *uint32, room int, masks *termBlock, nmasks int) (consumed, nout, nm int) {
	panic("unreachable")
}
