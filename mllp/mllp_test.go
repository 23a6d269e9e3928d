package mllp_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/medtap/medtap/mllp"
)

const msg1 = "MSH|^~\\&|A|B|C|D|20240101||ADT^A01|1|P|2.5\rPID|1\r"
const msg2 = "MSH|^~\\&|A|B|C|D|20240101||ADT^A01|2|P|2.5\rPID|2\r"

func frame(s string) string { return "\x0b" + s + "\x1c\r" }

func readAll(r *mllp.Reader) (frames []string, errs []error) {
	for {
		p, err := r.ReadFrame()
		if err == io.EOF {
			return
		}
		if err != nil {
			errs = append(errs, err)
			var fe *mllp.FrameError
			if !errors.As(err, &fe) {
				return
			}
			continue
		}
		frames = append(frames, string(p))
	}
}

func TestReader(t *testing.T) {
	big := strings.Repeat("x", 100)
	tests := []struct {
		name    string
		in      string
		frames  []string
		errs    []error
		skipped int64
	}{
		{"two", frame(msg1) + frame(msg2), []string{msg1, msg2}, nil, 0},
		{"junk before", "junk\r\n" + frame(msg1), []string{msg1}, nil, 6},
		{"no CR", "\x0b" + msg1 + "\x1c" + frame(msg2), []string{msg1, msg2}, nil, 0},
		{"LF after EB", "\x0b" + msg1 + "\x1c\n" + frame(msg2), []string{msg1, msg2}, nil, 1},
		{"commit ack", frame("\x06"), []string{"\x06"}, nil, 0},
		{"empty", frame(""), []string{""}, nil, 0},
		{"cut", frame(msg1) + "\x0b" + msg2, []string{msg1}, []error{io.ErrUnexpectedEOF}, 0},
		{"too large", frame(big) + frame(msg1), []string{msg1}, []error{mllp.ErrFrameTooLarge}, 0},
		{"nothing", "", nil, nil, 0},
	}
	for _, tt := range tests {
		for _, chunked := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/chunked=%v", tt.name, chunked), func(t *testing.T) {
				var in io.Reader = strings.NewReader(tt.in)
				if chunked {
					in = iotest.OneByteReader(in)
				}
				r := mllp.NewReader(in, mllp.WithMaxFrameSize(80))
				frames, errs := readAll(r)
				if fmt.Sprint(frames) != fmt.Sprint(tt.frames) {
					t.Errorf("frames = %q, want %q", frames, tt.frames)
				}
				if len(errs) != len(tt.errs) {
					t.Fatalf("errors = %v, want %v", errs, tt.errs)
				}
				for i := range errs {
					if !errors.Is(errs[i], tt.errs[i]) {
						t.Errorf("error %d = %v, want %v", i, errs[i], tt.errs[i])
					}
				}
				if r.Skipped() != tt.skipped {
					t.Errorf("skipped = %d, want %d", r.Skipped(), tt.skipped)
				}
			})
		}
	}
}

func TestWriterRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	w := mllp.NewWriter(&buf)
	payloads := []string{msg1, "", msg2, strings.Repeat("OBX|1|ED|||", 10000)}
	for _, p := range payloads {
		if err := w.WriteFrame([]byte(p)); err != nil {
			t.Fatal(err)
		}
	}
	frames, errs := readAll(mllp.NewReader(&buf))
	if errs != nil || len(frames) != len(payloads) {
		t.Fatalf("frames %d errs %v", len(frames), errs)
	}
	for i := range frames {
		if frames[i] != payloads[i] {
			t.Errorf("frame %d differs", i)
		}
	}
}

func TestCommitAck(t *testing.T) {
	for _, tt := range []struct {
		in           string
		positive, ok bool
	}{{"\x06", true, true}, {"\x15", false, true}, {"AA", false, false}, {"", false, false}} {
		p, ok := mllp.IsCommitAck([]byte(tt.in))
		if p != tt.positive || ok != tt.ok {
			t.Errorf("IsCommitAck(%q) = %v %v", tt.in, p, ok)
		}
	}
}

type event struct {
	payload string
	off     int64
	err     error
}

func decodeChunks(d *mllp.StreamDecoder, chunks [][]byte) []event {
	var evs []event
	fn := func(p []byte, off int64, err error) {
		evs = append(evs, event{string(p), off, errors.Unwrap(err)})
	}
	for _, c := range chunks {
		d.Write(c, fn)
	}
	d.Close(fn)
	return evs
}

func TestStreamDecoder(t *testing.T) {
	big := strings.Repeat("y", 200)
	tests := []struct {
		name string
		in   string
		want []event
	}{
		{"two", frame(msg1) + frame(msg2), []event{{msg1, 0, nil}, {msg2, int64(len(msg1) + 3), nil}}},
		{"mid-stream start", "PID|3\r\x1c\r" + frame(msg1), []event{{msg1, 8, nil}}},
		{"junk between", frame("a") + "zz" + frame("b"), []event{{"a", 0, nil}, {"", 4, mllp.ErrJunk}, {"b", 6, nil}}},
		{"restart", "\x0babc" + frame("b"), []event{{"", 0, mllp.ErrIncomplete}, {"b", 4, nil}}},
		{"cut at end", frame("a") + "\x0bxyz", []event{{"a", 0, nil}, {"", 4, mllp.ErrIncomplete}}},
		{"too large", frame(big) + frame("c"), []event{{"", 0, mllp.ErrFrameTooLarge}, {"c", 203, nil}}},
		{"too large cut", "\x0b" + big + frame("c"), []event{{"", 0, mllp.ErrFrameTooLarge}, {"c", 201, nil}}},
		{"no CR", "\x0ba\x1c\x0bb\x1c", []event{{"a", 0, nil}, {"b", 3, nil}}},
	}
	for _, tt := range tests {
		for _, size := range []int{0, 1, 2, 3, 7} {
			t.Run(fmt.Sprintf("%s/chunk=%d", tt.name, size), func(t *testing.T) {
				chunks := [][]byte{[]byte(tt.in)}
				if size > 0 {
					chunks = nil
					for in := []byte(tt.in); len(in) > 0; {
						n := min(size, len(in))
						chunks = append(chunks, in[:n])
						in = in[n:]
					}
				}
				got := decodeChunks(mllp.NewStreamDecoder(mllp.WithMaxFrameSize(100)), chunks)
				if fmt.Sprint(got) != fmt.Sprint(tt.want) {
					t.Errorf("got  %v\nwant %v", got, tt.want)
				}
			})
		}
	}
}

func TestStreamDecoderGap(t *testing.T) {
	d := mllp.NewStreamDecoder()
	var evs []event
	fn := func(p []byte, off int64, err error) { evs = append(evs, event{string(p), off, errors.Unwrap(err)}) }
	d.Write([]byte(frame("a")+"\x0bpart"), fn)
	d.Gap(10, fn)
	d.Write([]byte("lost tail\x1c\r"+frame("b")), fn)
	want := []event{{"a", 0, nil}, {"", 4, mllp.ErrIncomplete}, {"b", 30, nil}}
	if fmt.Sprint(evs) != fmt.Sprint(want) {
		t.Errorf("got  %v\nwant %v", evs, want)
	}
}
