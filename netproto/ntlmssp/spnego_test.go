package ntlmssp

import (
	"bytes"
	"errors"
	"testing"
)

// der encodes one DER element with a definite length.
func der(tag byte, content ...[]byte) []byte {
	c := bytes.Join(content, nil)
	b := []byte{tag}
	switch n := len(c); {
	case n < 0x80:
		b = append(b, byte(n))
	case n < 0x100:
		b = append(b, 0x81, byte(n))
	default:
		b = append(b, 0x82, byte(n>>8), byte(n))
	}
	return append(b, c...)
}

func TestUnwrap(t *testing.T) {
	ntlm := negotiateMsg(win7Flags, win7, "", "")
	oid := func(s string) []byte { return der(tagOID, []byte(s)) }
	mechTypes := der(0xa0, der(tagSequence, oid(oidNTLMSSP)))
	init := der(tagNegInit, der(tagSequence, mechTypes, der(tagMechToken, der(tagOctetString, ntlm))))
	resp := der(tagNegResp, der(tagSequence, der(0xa0, []byte{0x0a, 1, 1}), der(0xa1, oid(oidNTLMSSP)),
		der(tagMechToken, der(tagOctetString, ntlm))))
	kerberos := der(tagGSSAPI, oid(oidSPNEGO), der(tagNegInit, der(tagSequence, mechTypes,
		der(tagMechToken, der(tagOctetString, der(tagGSSAPI, oid("\x2a\x86\x48\x86\xf7\x12\x01\x02\x02"), []byte{1, 0}))))))
	tests := []struct {
		name   string
		in     []byte
		err    error
		offset int64
	}{
		{"bare", ntlm, nil, 0},
		{"gss-api negTokenInit", der(tagGSSAPI, oid(oidSPNEGO), init), nil, 0},
		{"negTokenInit", init, nil, 0},
		{"negTokenResp", resp, nil, 0},
		{"gss-api ntlmssp", der(tagGSSAPI, oid(oidNTLMSSP), ntlm), nil, 0},
		{"samba negotiate", sambaBlob(t, "negotiate"), nil, 0},
		{"samba challenge", sambaBlob(t, "challenge"), nil, 0},
		{"samba authenticate", sambaBlob(t, "authenticate"), nil, 0},
		{"samba hints", sambaBlob(t, "hints"), ErrNoNTLMSSP, 10},
		{"samba accept", sambaBlob(t, "accept"), ErrNoNTLMSSP, 0},
		{"kerberos", kerberos, ErrNoNTLMSSP, 34},
		{"other mechanism", der(tagGSSAPI, oid("\x2a\x86\x48\x86\xf7\x12\x01\x02\x02"), []byte{1, 0}), ErrNoNTLMSSP, 2},
		{"not DER", []byte{0x30}, ErrDER, 0},
		{"length past the end", []byte{0xa1, 0x05, 0x30, 0x03}, ErrDER, 0},
		{"indefinite length", []byte{0xa1, 0x80, 0x30, 0x00, 0x00, 0x00}, ErrDER, 0},
		{"five length bytes", []byte{0xa1, 0x85, 0, 0, 0, 0, 1, 0}, ErrDER, 0},
		{"no sequence", der(tagNegResp, der(0x31)), ErrDER, 2},
		{"token not an octet string", der(tagNegResp, der(tagSequence, der(tagMechToken, der(0x03, ntlm)))), ErrDER, 6},
		{"gss-api without oid", der(tagGSSAPI, der(0x05)), ErrDER, 2},
		{"inner element overruns its parent", append(der(tagNegResp, []byte{0x30, 0x10}), make([]byte, 16)...), ErrDER, 2},
		{"empty", nil, ErrDER, 0},
		{"other token", []byte{0x6e, 0x00}, ErrNoNTLMSSP, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok, err := Unwrap(tt.in)
			if tt.err != nil {
				var e *Error
				if !errors.Is(err, tt.err) || !errors.As(err, &e) || e.Offset != tt.offset {
					t.Fatalf("err = %v, want %v at %d", err, tt.err, tt.offset)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !Sniff(tok) {
				t.Fatalf("token %x is not NTLMSSP", tok)
			}
			if _, err := Parse(tok); err != nil {
				t.Fatal(err)
			}
		})
	}
}
