package hl7

import "golang.org/x/sys/cpu"

var useEmitAVX2 = cpu.X86.HasAVX2 && cpu.X86.HasBMI1 && cpu.X86.HasPOPCNT

// scanEmitAVX2 is scanEmit's kernel for n 64-byte blocks at p.
//
//go:noescape
func scanEmitAVX2(p *byte, n int, sep byte, base uint32, out *uint32, room int, masks *termBlock, nmasks int) (consumed, nout, nm int)
