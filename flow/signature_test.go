package flow

import (
	"encoding/binary"
	"slices"
	"testing"

	"github.com/medtap/medtap/internal/pkttest"
)

// sigRecorder keeps the signatures of the start and end events, which are
// valid only during the Sink call.
type sigRecorder struct{ syn, synack []string }

func (r *sigRecorder) Event(e *Event) {
	fi, ok := e.Detail.(*FlowInfo)
	if !ok {
		return
	}
	switch e.Kind {
	case KindStart:
		r.syn = append(r.syn, fi.SYN.String())
		if !fi.SYNACK.IsZero() {
			r.synack = append(r.synack, "start:"+fi.SYNACK.String())
		}
	case KindEnd:
		r.synack = append(r.synack, fi.SYNACK.String())
		if !fi.SYN.IsZero() {
			r.syn = append(r.syn, "end:"+fi.SYN.String())
		}
	}
}

func withWindow(pkt []byte, win uint16) []byte {
	binary.BigEndian.PutUint16(pkt[34:], win)
	return pkt
}

func TestHandshakeSignatures(t *testing.T) {
	const linux = "4:64+0:0:1460:mss*44,7:mss,sok,ts,nop,ws:df,id+:0"
	synack := func() []byte { return rawSYN(srv, cli, 5000, 1001, FlagSYN|FlagACK) }
	for _, tt := range []struct {
		name        string
		pkts        [][]byte
		syn, synack []string // per flow, in order
	}{
		{"handshake", [][]byte{rawSYN(cli, srv, 1000, 0, FlagSYN), withWindow(synack(), 65160)},
			[]string{linux}, []string{"4:64+0:0:1460:mss*45,7:mss,sok,ts,nop,ws:df,id+:0"}},
		{"no SYN+ACK", [][]byte{rawSYN(cli, srv, 1000, 0, FlagSYN)},
			[]string{linux}, []string{""}},
		{"the first of two SYN+ACKs", [][]byte{rawSYN(cli, srv, 1000, 0, FlagSYN), withWindow(synack(), 1000), synack()},
			[]string{linux}, []string{"4:64+0:0:1460:1000,7:mss,sok,ts,nop,ws:df,id+:0"}},
		{"SYN retransmitted", [][]byte{rawSYN(cli, srv, 1000, 0, FlagSYN), rawSYN(cli, srv, 1000, 0, FlagSYN), synack()},
			[]string{linux}, []string{linux}},
		{"mid-stream", [][]byte{rawTCP(cli, srv, 1001, FlagACK, []byte("x")), synack()},
			[]string{""}, []string{""}},
		{"SYN+ACK without its SYN", [][]byte{synack()},
			[]string{""}, []string{""}},
		{"SYN+ACK from the client", [][]byte{rawSYN(cli, srv, 1000, 0, FlagSYN), rawSYN(cli, srv, 1000, 1, FlagSYN|FlagACK)},
			[]string{linux}, []string{""}},
		{"SYN+FIN", [][]byte{rawSYN(cli, srv, 1000, 0, FlagSYN|FlagFIN), synack()},
			[]string{""}, []string{""}},
		{"SYN+ACK+RST", [][]byte{rawSYN(cli, srv, 1000, 0, FlagSYN), rawSYN(srv, cli, 5000, 1001, FlagSYN|FlagACK|FlagRST)},
			[]string{linux}, []string{""}},
		{"SYN with PSH and ECN", [][]byte{rawSYN(cli, srv, 1000, 0, FlagSYN|FlagPSH|0x40|0x80), synack()},
			[]string{"4:64+0:0:1460:mss*44,7:mss,sok,ts,nop,ws:df,id+,ecn,pushf+:0"}, []string{linux}},
		{"port reused after RST", [][]byte{
			rawSYN(cli, srv, 1000, 0, FlagSYN), synack(), rawTCP(cli, srv, 1001, FlagRST, nil),
			withWindow(rawSYN(cli, srv, 9000, 0, FlagSYN), 29200), withWindow(synack(), 28960)},
			[]string{linux, "4:64+0:0:1460:mss*20,7:mss,sok,ts,nop,ws:df,id+:0"},
			[]string{linux, "4:64+0:0:1460:mss*20,7:mss,sok,ts,nop,ws:df,id+:0"}},
		{"UDP", [][]byte{rawUDP(cli, srv, []byte("x"))}, []string{""}, []string{""}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var r sigRecorder
			e := mustEngine(t, Config{Protocols: []string{}}, &r)
			for i, p := range tt.pkts {
				e.Packet(t0.Add(pkttest.MS(i)), LinkRaw, p)
			}
			e.Flush()
			if !slices.Equal(r.syn, tt.syn) || !slices.Equal(r.synack, tt.synack) {
				t.Errorf("syn_sig %q, synack_sig %q\nwant    %q, %q", r.syn, r.synack, tt.syn, tt.synack)
			}
		})
	}
}
