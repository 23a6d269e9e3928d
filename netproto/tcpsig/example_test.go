package tcpsig_test

import (
	"fmt"

	"github.com/medtap/medtap/netproto/tcpsig"
)

func ExampleFromHeaders() {
	// A SYN of Linux: the IPv4 header, then the TCP header with its options
	// (MSS 1460, SACK permitted, timestamps, NOP, window scale 7).
	packet := []byte{
		0x45, 0x00, 0x00, 0x3c, 0x5c, 0x4a, 0x40, 0x00, 0x40, 0x06, 0xca, 0x21, 0x0a, 0xd4, 0x00, 0x01,
		0x0a, 0xd4, 0x00, 0x02, 0xc3, 0x50, 0x00, 0x50, 0x31, 0x0a, 0x2f, 0x42, 0x00, 0x00, 0x00, 0x00,
		0xa0, 0x02, 0xfa, 0xf0, 0x19, 0x67, 0x00, 0x00, 0x02, 0x04, 0x05, 0xb4, 0x04, 0x02, 0x08, 0x0a,
		0x9e, 0x5d, 0x1c, 0x82, 0x00, 0x00, 0x00, 0x00, 0x01, 0x03, 0x03, 0x07,
	}
	ihl := int(packet[0]&0x0f) * 4
	sig, err := tcpsig.FromHeaders(packet[:ihl], packet[ihl:], 0, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(sig)
	hops, _ := sig.Distance()
	fmt.Println("initial TTL", sig.InitialTTL(), "hops", hops, "MSS", sig.MSS, "quirks", sig.Quirks)

	// The SYN+ACK answering it: the SYN's MSS is passed along.
	var buf [tcpsig.MaxLen]byte
	synack := append([]byte(nil), packet...)
	synack[33] = 0x12                   // SYN+ACK
	synack[31] = 1                      // acknowledgement number
	synack[34], synack[35] = 0xf8, 0x80 // window 63616
	reply, _ := tcpsig.FromHeaders(synack[:ihl], synack[ihl:], 0, sig.MSS)
	fmt.Printf("%s\n", reply.AppendTo(buf[:0]))
	// Output:
	// 4:64+0:0:1460:mss*44,7:mss,sok,ts,nop,ws:df,id+:0
	// initial TTL 64 hops 0 MSS 1460 quirks df,id+
	// 4:64+0:0:1460:63616,7:mss,sok,ts,nop,ws:df,id+:0
}
