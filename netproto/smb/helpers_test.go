package smb

import (
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/gopacket/gopacket/pcapgo"
)

// stream is one direction of a TCP connection of a capture.
type stream struct {
	name string // "client:port > server:port"
	data []byte
}

// readStreams returns the TCP payload of every direction of every
// connection in an Ethernet/IPv4 pcap, in the order the directions first
// carry data. The captures of this package come from a bridge on one host,
// so segments arrive in order; retransmitted bytes are dropped by sequence
// number.
func readStreams(tb testing.TB, name string) []stream {
	tb.Helper()
	f, err := os.Open(name)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	r, err := pcapgo.NewReader(f)
	if err != nil {
		tb.Fatal(err)
	}
	var out []stream
	index := map[string]int{}
	next := map[string]uint32{}
	for {
		pkt, _, err := r.ReadPacketData()
		if err == io.EOF {
			break
		}
		if err != nil {
			tb.Fatal(err)
		}
		if len(pkt) < 14+20 || binary.BigEndian.Uint16(pkt[12:]) != 0x0800 {
			continue
		}
		ip := pkt[14:]
		ihl := int(ip[0]&15) * 4
		if ip[9] != 6 {
			continue
		}
		tcp := ip[ihl:binary.BigEndian.Uint16(ip[2:])]
		payload := tcp[int(tcp[12]>>4)*4:]
		key := fmt.Sprintf("%d.%d.%d.%d:%d > %d.%d.%d.%d:%d", ip[12], ip[13], ip[14], ip[15], binary.BigEndian.Uint16(tcp),
			ip[16], ip[17], ip[18], ip[19], binary.BigEndian.Uint16(tcp[2:]))
		seq := binary.BigEndian.Uint32(tcp[4:])
		if tcp[13]&0x02 != 0 { // SYN
			next[key] = seq + 1
			continue
		}
		if len(payload) == 0 {
			continue
		}
		if want, ok := next[key]; ok && seq != want {
			if int32(seq-want) < 0 {
				continue // retransmitted
			}
			tb.Fatalf("%s: a hole at sequence %d", key, want)
		}
		next[key] = seq + uint32(len(payload))
		i, ok := index[key]
		if !ok {
			i = len(out)
			index[key] = i
			out = append(out, stream{name: key})
		}
		out[i].data = append(out[i].data, payload...)
	}
	return out
}

// decodeAll feeds data to d in chunks of the given size and renders every
// item and error as a line. check, when not nil, sees every result of Next
// (ErrNeedMore included) before it is rendered.
func decodeAll(d *Decoder, data []byte, chunk int, check func(it *Item, err error)) []string {
	var lines []string
	feed := func(p []byte) {
		d.Feed(p)
		for {
			it, err := d.Next()
			if check != nil {
				check(&it, err)
			}
			switch {
			case err == ErrNeedMore:
				return
			case err != nil:
				lines = append(lines, "error: "+err.Error())
			default:
				lines = append(lines, describe(&it))
			}
		}
	}
	for len(data) > 0 {
		n := min(chunk, len(data))
		feed(data[:n])
		data = data[n:]
	}
	d.Flush()
	feed(nil)
	return lines
}

// describe renders an item and what the body parsers read of it.
func describe(it *Item) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d %v", it.Offset, it.Kind)
	switch it.Kind {
	case KindNetBIOS:
		nb := &it.NetBIOS
		fmt.Fprintf(&b, " %v", nb.Type)
		if nb.Type == NetBIOSRequest {
			fmt.Fprintf(&b, " called=%s calling=%s", nb.Called.String(), nb.Calling.String())
		}
	case KindTransform:
		t := &it.Transform
		fmt.Fprintf(&b, " %v length=%d original=%d session=%#x", t.Protocol, t.Length, t.OriginalSize, t.SessionID)
	case KindMessage:
		m := &it.Message
		fmt.Fprintf(&b, " %v", m.Protocol)
		if m.Protocol == SMB1 {
			fmt.Fprintf(&b, " %v", m.Header1.Command)
		} else {
			fmt.Fprintf(&b, " %v", m.Header2.Command)
		}
		if m.Response() {
			fmt.Fprintf(&b, " response %v", m.Status())
		}
		fmt.Fprintf(&b, " length=%d", m.Length)
		if m.Truncated {
			b.WriteString(" truncated")
		}
		if m.Compound > 0 {
			fmt.Fprintf(&b, " compound=%d", m.Compound)
		}
		describeBody(&b, m)
	}
	return b.String()
}

func describeBody(b *strings.Builder, m *Message) {
	fail := func(err error) {
		if err != nil {
			fmt.Fprintf(b, " body error: %v", err)
		}
	}
	str := func(name string, s String) {
		if !s.IsEmpty() {
			fmt.Fprintf(b, " %s=%q", name, s.String())
		}
	}
	switch {
	case m.Protocol == SMB1 && m.Header1.Command == ComNegotiate && !m.Response():
		r, err := m.NegotiateRequest1()
		fail(err)
		it := r.Dialects()
		var ds []string
		for it.Next() {
			ds = append(ds, string(it.Value()))
		}
		fail(it.Err())
		fmt.Fprintf(b, " dialects=%q", ds)
	case m.Protocol == SMB1 && m.Header1.Command == ComNegotiate:
		r, err := m.NegotiateResponse1()
		fail(err)
		fmt.Fprintf(b, " wc=%d index=%d mode=%#x caps=%#x guid=%v blob=%d", r.WordCount, r.DialectIndex, r.SecurityMode,
			r.Capabilities, r.ServerGUID, len(r.SecurityBlob))
		str("domain", r.DomainName)
		str("server", r.ServerName)
	case m.Protocol == SMB1 && m.Header1.Command == ComSessionSetupAndX && !m.Response():
		r, err := m.SessionSetupRequest1()
		fail(err)
		fmt.Fprintf(b, " wc=%d blob=%d passwords=%d,%d", r.WordCount, len(r.SecurityBlob), r.PasswordLength, r.UnicodePasswordLength)
		str("account", r.Account)
		str("domain", r.PrimaryDomain)
		str("os", r.NativeOS)
		str("lanman", r.NativeLanMan)
	case m.Protocol == SMB1 && m.Header1.Command == ComSessionSetupAndX:
		r, err := m.SessionSetupResponse1()
		fail(err)
		fmt.Fprintf(b, " wc=%d action=%d blob=%d", r.WordCount, r.Action, len(r.SecurityBlob))
		str("os", r.NativeOS)
		str("lanman", r.NativeLanMan)
		str("domain", r.PrimaryDomain)
	case m.Protocol == SMB2 && m.Header2.Command == Negotiate2 && !m.Response():
		r, err := m.NegotiateRequest2()
		fail(err)
		var ds []string
		for i := range r.NumDialects() {
			ds = append(ds, r.Dialect(i).String())
		}
		fmt.Fprintf(b, " dialects=%v mode=%#x caps=%#x", ds, r.SecurityMode, r.Capabilities)
		describeContexts(b, r.Contexts())
	case m.Protocol == SMB2 && m.Header2.Command == Negotiate2:
		r, err := m.NegotiateResponse2()
		fail(err)
		fmt.Fprintf(b, " dialect=%v mode=%#x caps=%#x guid=%v blob=%d", r.Dialect, r.SecurityMode, r.Capabilities, r.ServerGUID, len(r.SecurityBuffer))
		describeContexts(b, r.Contexts())
	case m.Protocol == SMB2 && m.Header2.Command == SessionSetup2 && !m.Response():
		r, err := m.SessionSetupRequest2()
		fail(err)
		fmt.Fprintf(b, " blob=%d", len(r.SecurityBuffer))
	case m.Protocol == SMB2 && m.Header2.Command == SessionSetup2:
		r, err := m.SessionSetupResponse2()
		fail(err)
		fmt.Fprintf(b, " flags=%#x blob=%d", r.SessionFlags, len(r.SecurityBuffer))
	}
}

func describeContexts(b *strings.Builder, it Contexts) {
	for it.Next() {
		fmt.Fprintf(b, " %v", it.Type())
		if it.Type() == ContextNetName {
			fmt.Fprintf(b, "=%q", String{Raw: it.Data(), Unicode: true}.String())
		}
	}
	if it.Err() != nil {
		fmt.Fprintf(b, " contexts error: %v", it.Err())
	}
}
