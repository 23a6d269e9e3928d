package hl7

import "golang.org/x/sys/cpu"

var useAVX2 = cpu.X86.HasAVX2

// scanBlocksAVX2 is scanBlocks for n 64-byte blocks at p, writing at most
// nout entries at out; it returns blocks consumed and entries written.
//
//go:noescape
func scanBlocksAVX2(p *byte, n int, sep byte, out *blockMasks, nout int) (consumed, written int)

var useEmitAVX2 = cpu.X86.HasAVX2 && cpu.X86.HasBMI1 && cpu.X86.HasPOPCNT

// scanEmitAVX2 is scanEmit's kernel for n 64-byte blocks at p.
//
//go:noescape
func scanEmitAVX2(p *byte, n int, sep byte, base uint32, out *uint32, room int, masks *termBlock, nmasks int) (consumed, nout, nm int)
