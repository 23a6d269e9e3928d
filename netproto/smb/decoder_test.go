package smb

import (
	"bytes"
	"encoding/binary"
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestDecoder(t *testing.T) {
	echo := msg2(Echo2, 0, 0, []byte{4, 0, 0, 0})
	echoResp := msg2(Echo2, Flag2Response, 0, []byte{4, 0, 0, 0})
	chain := compound(msg2(Create2, 0, 0, make([]byte, 57)), msg2(Read2, Flag2Related, 0, make([]byte, 49)),
		msg2(Close2, Flag2Related, 0, make([]byte, 24)))
	badNext := bytes.Clone(chain)
	binary.LittleEndian.PutUint32(badNext[20:], 40) // points inside the first header
	queryInfo := msg2(QueryInfo2, Flag2Response, 0, make([]byte, 5000))
	tests := []struct {
		name   string
		stream []byte
		max    int
		want   []string
	}{
		{"compound", frame(chain), 0, []string{
			"4 message SMB2 CREATE length=128",
			"132 message SMB2 READ length=120 compound=1",
			"252 message SMB2 CLOSE length=88 compound=2",
		}},
		{"write streamed", cat(frame(msg2(Write2, 0, 0, write2(100000))), frame(echo)), 0, []string{
			"4 message SMB2 WRITE length=100112 truncated",
			"100120 message SMB2 ECHO length=68",
		}},
		{"over MaxMessage", cat(frame(queryInfo), frame(echoResp)), 1000, []string{
			"4 message SMB2 QUERY_INFO response STATUS_SUCCESS length=5064 truncated",
			"5072 message SMB2 ECHO response STATUS_SUCCESS length=68",
		}},
		{"under MaxMessage", frame(queryInfo), 0, []string{
			"4 message SMB2 QUERY_INFO response STATUS_SUCCESS length=5064",
		}},
		{"mid-stream start", cat([]byte("\x17\x03\x03\x00\x10 random bytes, SM"), frame(echo)), 0, []string{
			"error: smb: bad transport frame at offset 0",
			"26 message SMB2 ECHO length=68",
		}},
		{"frame of another protocol", cat(frame([]byte("GET / HTTP/1.1\r\n")), frame(echo)), 0, []string{
			"error: smb: frame holds no SMB message at offset 0",
			"24 message SMB2 ECHO length=68",
		}},
		{"raw data once in sync", cat(frame(echo), frame([]byte("raw READ_RAW data")), frame(echo)), 0, []string{
			"4 message SMB2 ECHO length=68",
			"error: smb: frame holds no SMB message at offset 76",
			"97 message SMB2 ECHO length=68",
		}},
		{"bad NextCommand", cat(frame(badNext), frame(echo)), 0, []string{
			"error: smb: malformed SMB header at offset 24",
			"344 message SMB2 ECHO length=68",
		}},
		{"short SMB1", cat(frame([]byte("\xffSMB\x72\x00\x00")), frame(echo)), 0, []string{
			"error: smb: malformed SMB header at offset 4",
			"15 message SMB2 ECHO length=68",
		}},
		{"bad SMB2 header size", cat(frame(append([]byte("\xfeSMB\x40\x01"), make([]byte, 70)...)), frame(echo)), 0, []string{
			"error: smb: malformed SMB header at offset 4",
			"84 message SMB2 ECHO length=68",
		}},
		{"netbios", cat(netbios(NetBIOSRequest, cat(encodeName("PACSFS01", 0x20), encodeName("CT-WS07", 0))),
			netbios(NetBIOSNegativeResponse, []byte{0x82}), netbios(NetBIOSKeepAlive, nil), frame(nil),
			netbios(NetBIOSRetarget, []byte{10, 214, 0, 9, 0, 139}), frame(echo)), 0, []string{
			"0 netbios session request called=PACSFS01<20> calling=CT-WS07<00>",
			"72 netbios negative session response",
			"77 netbios session keep alive",
			"85 netbios retarget session response",
			"99 message SMB2 ECHO length=68",
		}},
		{"bad netbios body", cat(netbios(NetBIOSPositiveResponse, []byte{1}), frame(echo)), 0, []string{
			"error: smb: bad transport frame at offset 0",
			"9 message SMB2 ECHO length=68",
		}},
		{"unknown netbios type", cat([]byte{0x90, 0, 0, 0}, frame(echo)), 0, []string{
			"error: smb: bad transport frame at offset 0",
			"8 message SMB2 ECHO length=68",
		}},
		{"transforms", cat(frame(cat([]byte("\xfdSMB"), make([]byte, 32), []byte{100, 0, 0, 0, 0, 0, 1, 0, 9, 0, 0, 0, 0, 0, 0, 0}, make([]byte, 100))),
			frame(cat([]byte("\xfcSMB"), []byte{0, 16, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0}, make([]byte, 30)))), 0, []string{
			"4 transform transform length=152 original=100 session=0x9",
			"160 transform compressed length=46 original=4096 session=0x0",
		}},
		{"short transform", frame(cat([]byte("\xfdSMB"), make([]byte, 20))), 0, []string{
			"error: smb: malformed SMB header at offset 4",
		}},
		{"cut short", cat(frame(echo), frame(echo)[:30]), 0, []string{
			"4 message SMB2 ECHO length=68",
			"error: smb: stream ends inside a frame at offset 72",
		}},
		{"header cut short", cat(frame(echo), []byte{0, 0}), 0, []string{
			"4 message SMB2 ECHO length=68",
			"error: smb: stream ends inside a frame at offset 72",
		}},
		{"data cut short", frame(msg2(Write2, 0, 0, write2(1000)))[:500], 0, []string{
			"4 message SMB2 WRITE length=1112 truncated",
			"error: smb: stream ends inside a frame at offset 0",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, chunk := range []int{1 << 20, 1, 5, 100} {
				d := Decoder{MaxMessage: tt.max}
				if got := decodeAll(&d, tt.stream, chunk, nil); !slices.Equal(got, tt.want) {
					t.Fatalf("in %d-byte chunks:\n%s\nwant:\n%s", chunk, strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
				}
				if d.Buffered() != 0 {
					t.Errorf("%d bytes still buffered", d.Buffered())
				}
			}
		})
	}
}

func TestDecoderGaps(t *testing.T) {
	echo := msg2(Echo2, 0, 0, []byte{4, 0, 0, 0})
	write := frame(msg2(Write2, 0, 0, write2(10000)))
	var d Decoder
	feed := func(p []byte) (lines []string) {
		d.Feed(p)
		for {
			it, err := d.Next()
			if err == ErrNeedMore {
				return lines
			}
			if err != nil {
				lines = append(lines, err.Error())
				continue
			}
			lines = append(lines, describe(&it))
		}
	}
	// A gap inside file data being passed over costs nothing.
	got := feed(write[:1000])
	d.Gap(5000)
	got = append(got, feed(cat(write[6000:], frame(echo)))...)
	want := []string{"4 message SMB2 WRITE length=10112 truncated", "10120 message SMB2 ECHO length=68"}
	if !slices.Equal(got, want) {
		t.Errorf("gap in data: %q", got)
	}
	// A gap inside a header: the decoder looks for the next frame.
	d.Reset()
	got = feed(frame(echo)[:40])
	d.Gap(32)
	got = append(got, feed(cat([]byte("tail of a lost message"), frame(echo)))...)
	want = []string{"98 message SMB2 ECHO length=68"}
	if !slices.Equal(got, want) || d.Offset() != 98+68 {
		t.Errorf("gap in a header: %q, offset %d", got, d.Offset())
	}
	// A gap of unknown size.
	d.Reset()
	feed(write[:100])
	d.Gap(-1)
	if got := feed(cat(write[200:], frame(echo))); len(got) != 1 || !strings.Contains(got[0], "ECHO") {
		t.Errorf("unknown gap: %q", got)
	}
}

func TestDecoderErrors(t *testing.T) {
	var d Decoder
	d.Feed([]byte{0x90, 0, 0, 0})
	_, err := d.Next()
	var e *Error
	if !errors.Is(err, ErrFrame) || !errors.As(err, &e) || e.ByteOffset() != 0 {
		t.Fatalf("err = %v", err)
	}
	if _, err := d.Next(); err != ErrNeedMore {
		t.Fatalf("second Next: %v", err)
	}
	if (Kind(9)).String() != "Kind(9)" || KindTransform.String() != "transform" {
		t.Error("Kind.String")
	}
}

func TestSniff(t *testing.T) {
	echo := frame(msg2(Echo2, 0, 0, []byte{4, 0, 0, 0}))
	tests := []struct {
		name string
		in   []byte
		want bool
	}{
		{"smb2", echo, true},
		{"smb1", frame(msg1(ComNegotiate, 0, 0, nil, dialects1("NT LM 0.12"))), true},
		{"transform", frame(cat([]byte("\xfdSMB"), make([]byte, 60))), true},
		{"session request", netbios(NetBIOSRequest, cat(encodeName("*SMBSERVER", 0x20), encodeName("WS", 0))), true},
		{"short", echo[:7], false},
		{"tls", []byte("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03"), false},
		{"http", []byte("GET / HTTP/1.1\r\n"), false},
		{"length too small", []byte{0, 0, 0, 8, 0xfe, 'S', 'M', 'B'}, false},
		{"other magic", []byte{0, 0, 0, 80, 0xfb, 'S', 'M', 'B'}, false},
		{"session request, bad name", []byte{0x81, 0, 0, 68, 32, 'a', 'b', 'c'}, false},
		{"positive response", []byte{0x82, 0, 0, 0, 0, 0, 0, 0}, false},
	}
	for _, tt := range tests {
		if got := Sniff(tt.in); got != tt.want {
			t.Errorf("%s: Sniff = %v", tt.name, got)
		}
	}
}
