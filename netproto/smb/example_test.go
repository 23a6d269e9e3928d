package smb_test

import (
	"encoding/hex"
	"fmt"

	"github.com/medtap/medtap/netproto/smb"
)

// A client's first bytes on TCP 445: an SMB1 NEGOTIATE offering NT LM 0.12
// and SMB2, then (in a second segment) an SMB2 NEGOTIATE.
func ExampleDecoder() {
	smb1, _ := hex.DecodeString("0000003aff534d4272000000001843c80000000000000000000000000000feff00000000" +
		"001700024e54204c4d20302e31320002534d4220322e30303200")
	smb2, _ := hex.DecodeString("00000068fe534d4240000000000000000000010000000000000000000000000000000000" +
		"000000000000000000000000000000000000000000000000000000000000000024000200" +
		"010000007f000000636c69656e742d677569642d30303031000000000000000002021002")
	var d smb.Decoder
	for _, seg := range [][]byte{smb1, smb2} {
		d.Feed(seg)
		for {
			it, err := d.Next()
			if err == smb.ErrNeedMore {
				break
			}
			if err != nil {
				fmt.Println(err)
				continue
			}
			m := &it.Message
			switch m.Protocol {
			case smb.SMB1:
				r, _ := m.NegotiateRequest1()
				it := r.Dialects()
				for it.Next() {
					fmt.Printf("SMB1 offers %q\n", it.Value())
				}
			case smb.SMB2:
				r, err := m.NegotiateRequest2()
				if err != nil {
					fmt.Println(err)
					continue
				}
				for i := range r.NumDialects() {
					fmt.Println("SMB2 offers", r.Dialect(i))
				}
			}
		}
	}
	// Output:
	// SMB1 offers "NT LM 0.12"
	// SMB1 offers "SMB 2.002"
	// SMB2 offers 2.0.2
	// SMB2 offers 2.1
}

// A message the caller holds whole, without its transport header: an SMB1
// NEGOTIATE request.
func ExampleParseMessage() {
	b, _ := hex.DecodeString("ff534d4272000000001843c80000000000000000000000000000feff000000000017" +
		"00024e54204c4d20302e31320002534d4220322e30303200")
	m, err := smb.ParseMessage(b)
	if err != nil {
		panic(err)
	}
	r, err := m.NegotiateRequest1()
	if err != nil {
		panic(err)
	}
	it := r.Dialects()
	for it.Next() {
		fmt.Printf("%v %v offers %d: %q\n", m.Protocol, m.Header1.Command, it.Index(), it.Value())
	}
	// Output:
	// SMB1 NEGOTIATE offers 0: "NT LM 0.12"
	// SMB1 NEGOTIATE offers 1: "SMB 2.002"
}
