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
				r := mllp.NewReader(in)
				r.MaxFrameSize = 80
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

// drain takes every frame and error from d until ErrNeedMore.
func drain(d *mllp.StreamDecoder, evs []event) []event {
	for i := 0; ; i++ {
		f, err := d.Next()
		if err == mllp.ErrNeedMore {
			return evs
		}
		var fe *mllp.FrameError
		if err != nil && (!errors.As(err, &fe) || fe.ByteOffset() != fe.Offset) {
			panic(fmt.Sprintf("Next: %v", err))
		}
		if err != nil {
			evs = append(evs, event{"", fe.Offset, fe.Err})
		} else {
			evs = append(evs, event{string(f.Payload), f.Offset, nil})
		}
		if i > 1<<20 {
			panic("Next makes no progress")
		}
	}
}

// decodeChunks feeds chunks to d, then flushes it.
func decodeChunks(d *mllp.StreamDecoder, chunks [][]byte) []event {
	var evs []event
	for _, c := range chunks {
		d.Feed(c)
		evs = drain(d, evs)
	}
	d.Flush()
	return drain(d, evs)
}

// refChunks is decodeChunks with the reference decoder.
func refChunks(max int, chunks [][]byte) []event {
	d := mllp.NewRefStreamDecoder(max)
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

// cut splits in into chunks of size bytes (0: one chunk).
func cut(in []byte, size int) [][]byte {
	if size <= 0 {
		return [][]byte{in}
	}
	var chunks [][]byte
	for len(in) > 0 {
		n := min(size, len(in))
		chunks = append(chunks, in[:n])
		in = in[n:]
	}
	return chunks
}

var streamTests = []struct {
	name string
	in   string
	want []event
}{
	{"two", frame(msg1) + frame(msg2), []event{{msg1, 0, nil}, {msg2, int64(len(msg1) + 3), nil}}},
	{"mid-stream start", "PID|3\r\x1c\r" + frame(msg1), []event{{msg1, 8, nil}}},
	{"junk between", frame("a") + "zz" + frame("b"), []event{{"a", 0, nil}, {"", 4, mllp.ErrJunk}, {"b", 6, nil}}},
	{"restart", "\x0babc" + frame("b"), []event{{"", 0, mllp.ErrIncomplete}, {"b", 4, nil}}},
	{"cut at end", frame("a") + "\x0bxyz", []event{{"a", 0, nil}, {"", 4, mllp.ErrIncomplete}}},
	{"too large", frame(strings.Repeat("y", 200)) + frame("c"), []event{{"", 0, mllp.ErrFrameTooLarge}, {"c", 203, nil}}},
	{"too large cut", "\x0b" + strings.Repeat("y", 200) + frame("c"), []event{{"", 0, mllp.ErrFrameTooLarge}, {"c", 201, nil}}},
	{"no CR", "\x0ba\x1c\x0bb\x1c", []event{{"a", 0, nil}, {"b", 3, nil}}},
	{"junk twice", frame("a") + "zz" + frame("b") + "\r\nyy", []event{{"a", 0, nil}, {"", 4, mllp.ErrJunk}, {"b", 6, nil}, {"", 10, mllp.ErrJunk}}},
	{"empty frames", "\x0b\x1c\r\x0b\x1c", []event{{"", 0, nil}, {"", 3, nil}}},
	{"commit ack", frame("\x06") + frame("\x15"), []event{{"\x06", 0, nil}, {"\x15", 4, nil}}},
	{"too large then restart", "\x0b" + strings.Repeat("y", 200) + "\x0bab" + frame("c"), []event{{"", 0, mllp.ErrFrameTooLarge}, {"", 201, mllp.ErrIncomplete}, {"c", 204, nil}}},
	{"nothing", "", nil},
	{"only junk", "junk", nil},
}

func TestStreamDecoder(t *testing.T) {
	for _, tt := range streamTests {
		for _, size := range []int{0, 1, 2, 3, 7} {
			t.Run(fmt.Sprintf("%s/chunk=%d", tt.name, size), func(t *testing.T) {
				chunks := cut([]byte(tt.in), size)
				d := mllp.StreamDecoder{MaxFrameSize: 100}
				got := decodeChunks(&d, chunks)
				if fmt.Sprint(got) != fmt.Sprint(tt.want) {
					t.Errorf("got  %v\nwant %v", got, tt.want)
				}
				if ref := refChunks(100, chunks); fmt.Sprint(got) != fmt.Sprint(ref) {
					t.Errorf("got       %v\nreference %v", got, ref)
				}
				if d.Offset() != int64(len(tt.in)) || d.Buffered() != 0 {
					t.Errorf("Offset %d, Buffered %d after the stream", d.Offset(), d.Buffered())
				}
			})
		}
	}
}

func TestStreamDecoderGap(t *testing.T) {
	var d mllp.StreamDecoder // the zero value is ready
	d.Feed([]byte(frame("a") + "\x0bpart"))
	evs := drain(&d, nil)
	d.Gap(10)
	d.Feed([]byte("lost tail\x1c\r" + frame("b")))
	evs = drain(&d, evs)
	want := []event{{"a", 0, nil}, {"", 4, mllp.ErrIncomplete}, {"b", 30, nil}}
	if fmt.Sprint(evs) != fmt.Sprint(want) {
		t.Errorf("got  %v\nwant %v", evs, want)
	}
}

// op is one call made on a decoder: feed bytes, report a gap, or flush
// (the reference's Close).
type op struct {
	feed  []byte
	gap   int
	flush bool
}

// runOps makes the calls on a StreamDecoder, draining it after each.
func runOps(d *mllp.StreamDecoder, ops []op) []event {
	var evs []event
	for _, o := range ops {
		switch {
		case o.flush:
			d.Flush()
		case o.feed != nil:
			d.Feed(o.feed)
		default:
			d.Gap(o.gap)
		}
		evs = drain(d, evs)
	}
	return evs
}

// refOps makes the calls on the reference decoder.
func refOps(max int, ops []op) []event {
	d := mllp.NewRefStreamDecoder(max)
	var evs []event
	fn := func(p []byte, off int64, err error) {
		evs = append(evs, event{string(p), off, errors.Unwrap(err)})
	}
	for _, o := range ops {
		switch {
		case o.flush:
			d.Close(fn)
		case o.feed != nil:
			d.Write(o.feed, fn)
		default:
			d.Gap(o.gap, fn)
		}
	}
	return evs
}

// TestStreamDecoderReference feeds the same streams, with gaps and
// flushes between chunks, to the decoder and to the callback decoder it
// replaced, and wants the same frames, errors and offsets.
func TestStreamDecoderReference(t *testing.T) {
	var streams []string
	for _, tt := range streamTests {
		streams = append(streams, tt.in)
	}
	streams = append(streams,
		frame(msg1)+"junk\x0bpart"+frame(msg2)+"\x1c\r\r"+frame("")+"\x0b",
		"tail of a frame\x1c\r\x0bMSH|first\x1c\r\x0bMSH|sec"+"lost\x1c\r\x0bMSH|third\x1c\r",
	)
	for si, s := range streams {
		in := []byte(s)
		for _, size := range []int{0, 1, 2, 5, 11} {
			for _, every := range []int{0, 2, 3} {
				// A gap or flush after every every-th chunk.
				var ops []op
				for i, c := range cut(in, size) {
					ops = append(ops, op{feed: c})
					if every > 0 && i%every == every-1 {
						switch i % 3 {
						case 0:
							ops = append(ops, op{gap: i % 4})
						case 1:
							ops = append(ops, op{gap: -1})
						default:
							ops = append(ops, op{flush: true})
						}
					}
				}
				ops = append(ops, op{flush: true})
				d := mllp.StreamDecoder{MaxFrameSize: 100}
				got, want := runOps(&d, ops), refOps(100, ops)
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("stream %d chunk=%d every=%d:\ngot       %v\nreference %v", si, size, every, got, want)
				}
			}
		}
	}
}

// TestStreamDecoderUndrained checks what happens when Feed, Gap or Flush
// come before Next returned ErrNeedMore: the bytes not reached yet count as
// lost, and whatever is reported still comes out once, in order.
func TestStreamDecoderUndrained(t *testing.T) {
	var d mllp.StreamDecoder
	d.Feed([]byte(frame("a") + "zz\x0bb"))
	evs := []event(nil)
	if f, err := d.Next(); err != nil || string(f.Payload) != "a" {
		t.Fatalf("Next = %q, %v", f.Payload, err)
	}
	d.Feed([]byte(frame("c"))) // "zz\x0bb" lost
	evs = drain(&d, evs)
	d.Feed([]byte("\x0bd"))
	if _, err := d.Next(); err != mllp.ErrNeedMore || d.Buffered() != 1 {
		t.Fatalf("Next = %v, Buffered %d", err, d.Buffered())
	}
	d.Flush()
	d.Feed([]byte(frame("e"))) // the flush ends "d" first
	evs = drain(&d, evs)
	want := []event{{"c", 8, nil}, {"", 12, mllp.ErrIncomplete}, {"e", 14, nil}}
	if fmt.Sprint(evs) != fmt.Sprint(want) {
		t.Errorf("got  %v\nwant %v", evs, want)
	}
	d.Feed([]byte("\x0bf\x1c\r\x0bgh"))
	d.Gap(-1) // "f" not reached: lost with "gh"
	evs = drain(&d, nil)
	if len(evs) != 0 {
		t.Errorf("after a gap over undecoded bytes: %v", evs)
	}
	if d.Frames != 3 || d.Errors != 1 {
		t.Errorf("Frames %d, Errors %d", d.Frames, d.Errors)
	}
}

func TestStreamDecoderReset(t *testing.T) {
	d := mllp.StreamDecoder{MaxFrameSize: 4}
	d.Feed([]byte("\x0babcdef"))
	if _, err := d.Next(); !errors.Is(err, mllp.ErrFrameTooLarge) {
		t.Fatalf("Next = %v", err)
	}
	d.Reset()
	if d.MaxFrameSize != 4 || d.Offset() != 0 || d.Errors != 0 {
		t.Fatalf("after Reset: %+v", d)
	}
	d.Feed([]byte("\x0babc"))
	drain(&d, nil)
	if d.Buffered() != 3 {
		t.Errorf("Buffered = %d, want 3", d.Buffered())
	}
	d.Feed([]byte("\x1c\r"))
	f, err := d.Next()
	if err != nil || string(f.Payload) != "abc" || f.Offset != 0 {
		t.Fatalf("Next = %q at %d, %v", f.Payload, f.Offset, err)
	}
	if _, err := d.Next(); err != mllp.ErrNeedMore || d.Buffered() != 0 {
		t.Fatalf("Next = %v, Buffered %d", err, d.Buffered())
	}
	if _, err := d.Next(); err != mllp.ErrNeedMore {
		t.Fatalf("Next again = %v", err)
	}
}

// TestStreamDecoderLinear feeds 1 MiB of start blocks (each one abandoning
// the frame the previous one started) or of tiny frames: the decoder ends,
// with at most one frame or error per byte, holding almost nothing. How
// long it takes is BenchmarkStreamDecoderHostile's business (it was
// quadratic once: 15 s for the 1 MiB).
func TestStreamDecoderLinear(t *testing.T) {
	for _, unit := range []string{"\x0b", "\x0bx", "\x0b\x1c", "\x1c"} {
		in := bytes.Repeat([]byte(unit), (1<<20)/len(unit))
		var d mllp.StreamDecoder
		d.Feed(in)
		n := 0
		for _, err := d.Next(); err != mllp.ErrNeedMore; _, err = d.Next() {
			if n++; n > len(in) {
				t.Fatalf("%q × %d: more frames and errors than bytes", unit, len(in)/len(unit))
			}
		}
		if d.Buffered() > 2*len(unit) {
			t.Errorf("%q: %d bytes held after the input", unit, d.Buffered())
		}
	}
}

// BenchmarkStreamDecoderHostile decodes 1 MiB made of start blocks and
// end blocks: the time per byte must stay that of ordinary input (it was
// quadratic once: 15 s for 1 MiB).
func BenchmarkStreamDecoderHostile(b *testing.B) {
	for _, unit := range []string{"\x0b", "\x0bx", "\x0b\x1c", "\x1c"} {
		in := bytes.Repeat([]byte(unit), (1<<20)/len(unit))
		b.Run(fmt.Sprintf("%q", unit), func(b *testing.B) {
			b.SetBytes(int64(len(in)))
			var d mllp.StreamDecoder
			for range b.N {
				d.Reset()
				d.Feed(in)
				for _, err := d.Next(); err != mllp.ErrNeedMore; _, err = d.Next() {
				}
			}
		})
	}
}
