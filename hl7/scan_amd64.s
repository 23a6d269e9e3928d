#include "textflag.h"

// func scanEmitAVX2(p *byte, n int, sep byte, base uint32, out *uint32, room int, masks *termBlock, nmasks int) (consumed, nout, nm int)
//
// For each 64-byte block: find the separators, CRs and LFs; append
// base+offset for each to out (eight at a time); for a block holding a CR
// or LF, also append to masks its bit masks, its offset from p and the
// number of entries written before it. Stops after the block that fills
// masks, and before a block when out has fewer than 72 entries of room
// left.
TEXT ·scanEmitAVX2(SB), NOSPLIT, $0-80
	MOVQ p+0(FP), SI
	MOVQ n+8(FP), CX
	MOVBQZX sep+16(FP), AX
	MOVL base+20(FP), R12 // offset in the message of the current block
	MOVQ out+24(FP), DI
	MOVQ masks+40(FP), R8
	MOVQ nmasks+48(FP), R11
	XORQ BX, BX // blocks consumed
	XORQ R9, R9 // entries written
	XORQ R10, R10 // masks written
	TESTQ CX, CX
	JZ edone
	TESTQ R11, R11
	JZ edone

	MOVQ AX, X0
	VPBROADCASTB X0, Y0 // separator
	MOVQ $0x0d, AX
	MOVQ AX, X1
	VPBROADCASTB X1, Y1 // CR
	MOVQ $0x0a, AX
	MOVQ AX, X2
	VPBROADCASTB X2, Y2 // LF

eloop:
	VMOVDQU (SI), Y3
	VMOVDQU 32(SI), Y4
	VPCMPEQB Y0, Y3, Y5
	VPCMPEQB Y0, Y4, Y6
	VPCMPEQB Y1, Y3, Y7
	VPCMPEQB Y1, Y4, Y8
	VPCMPEQB Y2, Y3, Y9
	VPCMPEQB Y2, Y4, Y10
	VPOR Y7, Y9, Y7  // terminators, low half
	VPOR Y8, Y10, Y8 // terminators, high half
	VPOR Y5, Y7, Y5  // all, low
	VPOR Y6, Y8, Y6  // all, high
	VPOR Y5, Y6, Y9
	VPTEST Y9, Y9
	JZ enext

	VPMOVMSKB Y5, AX
	VPMOVMSKB Y6, R13
	SHLQ $32, R13
	ORQ R13, AX // all
	VPMOVMSKB Y7, DX
	VPMOVMSKB Y8, R13
	SHLQ $32, R13
	ORQ R13, DX // terminators
	LEAQ 72(R9), R13
	CMPQ R13, room+32(FP)
	JA edone // not consumed: no room for its entries
	TESTQ DX, DX
	JZ emit
	MOVQ AX, 0(R8)
	MOVQ DX, 8(R8)
	MOVQ BX, R13
	SHLQ $6, R13
	MOVL R13, 16(R8)
	MOVL R9, 20(R8)
	ADDQ $24, R8
	INCQ R10

emit:
	POPCNTQ AX, R14
	MOVQ DI, R15
emit8:
	TZCNTQ AX, R13
	ADDL R12, R13
	MOVL R13, 0(R15)
	BLSRQ AX, AX
	TZCNTQ AX, R13
	ADDL R12, R13
	MOVL R13, 4(R15)
	BLSRQ AX, AX
	TZCNTQ AX, R13
	ADDL R12, R13
	MOVL R13, 8(R15)
	BLSRQ AX, AX
	TZCNTQ AX, R13
	ADDL R12, R13
	MOVL R13, 12(R15)
	BLSRQ AX, AX
	TZCNTQ AX, R13
	ADDL R12, R13
	MOVL R13, 16(R15)
	BLSRQ AX, AX
	TZCNTQ AX, R13
	ADDL R12, R13
	MOVL R13, 20(R15)
	BLSRQ AX, AX
	TZCNTQ AX, R13
	ADDL R12, R13
	MOVL R13, 24(R15)
	BLSRQ AX, AX
	TZCNTQ AX, R13
	ADDL R12, R13
	MOVL R13, 28(R15)
	BLSRQ AX, AX
	ADDQ $32, R15
	TESTQ AX, AX
	JNZ emit8
	LEAQ (DI)(R14*4), DI
	ADDQ R14, R9
	CMPQ R10, R11
	JEQ efull

enext:
	ADDQ $64, SI
	ADDL $64, R12
	INCQ BX
	CMPQ BX, CX
	JB eloop
	JMP edone

efull:
	INCQ BX

edone:
	VZEROUPPER
	MOVQ BX, consumed+56(FP)
	MOVQ R9, nout+64(FP)
	MOVQ R10, nm+72(FP)
	RET
