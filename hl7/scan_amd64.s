#include "textflag.h"

// func scanBlocksAVX2(p *byte, n int, sep byte, out *blockMasks, nout int) (consumed, written int)
//
// For each 64-byte block: compare both halves with the field separator, CR
// and LF; skip the block when nothing matched, otherwise store its offset
// and the two 64-bit masks.
TEXT ·scanBlocksAVX2(SB), NOSPLIT, $0-56
	MOVQ p+0(FP), SI
	MOVQ n+8(FP), CX
	MOVBQZX sep+16(FP), AX
	MOVQ out+24(FP), DI
	MOVQ nout+32(FP), R8
	XORQ BX, BX // blocks consumed
	XORQ R9, R9 // entries written
	TESTQ CX, CX
	JZ done
	TESTQ R8, R8
	JZ done

	MOVQ AX, X0
	VPBROADCASTB X0, Y0 // separator
	MOVQ $0x0d, AX
	MOVQ AX, X1
	VPBROADCASTB X1, Y1 // CR
	MOVQ $0x0a, AX
	MOVQ AX, X2
	VPBROADCASTB X2, Y2 // LF

loop:
	VMOVDQU (SI), Y3
	VMOVDQU 32(SI), Y4
	VPCMPEQB Y0, Y3, Y5  // separator, low half
	VPCMPEQB Y0, Y4, Y6  // separator, high half
	VPCMPEQB Y1, Y3, Y7  // CR, low
	VPCMPEQB Y1, Y4, Y8  // CR, high
	VPCMPEQB Y2, Y3, Y9  // LF, low
	VPCMPEQB Y2, Y4, Y10 // LF, high
	VPOR Y7, Y9, Y7      // terminators, low
	VPOR Y8, Y10, Y8     // terminators, high
	VPOR Y5, Y6, Y9
	VPOR Y7, Y8, Y10
	VPOR Y9, Y10, Y9
	VPTEST Y9, Y9
	JZ next

	VPMOVMSKB Y5, AX
	VPMOVMSKB Y6, DX
	SHLQ $32, DX
	ORQ DX, AX
	VPMOVMSKB Y7, R10
	VPMOVMSKB Y8, DX
	SHLQ $32, DX
	ORQ DX, R10
	MOVQ BX, R11
	SHLQ $6, R11
	MOVQ R11, 0(DI)
	MOVQ AX, 8(DI)
	MOVQ R10, 16(DI)
	ADDQ $24, DI
	INCQ R9
	CMPQ R9, R8
	JEQ full

next:
	ADDQ $64, SI
	INCQ BX
	CMPQ BX, CX
	JB loop
	JMP done

full:
	INCQ BX

done:
	VZEROUPPER
	MOVQ BX, consumed+40(FP)
	MOVQ R9, written+48(FP)
	RET
