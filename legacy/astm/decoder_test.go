package astm

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// stream concatenates the parts of a test stream.
func stream(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

func frame(n int, text string, final bool) []byte { return AppendFrame(nil, n, []byte(text), final) }

func ctl(c byte) []byte { return []byte{c} }

// badFrame is a frame whose checksum is off by one.
func badFrame(n int, text string, final bool) []byte {
	f := frame(n, text, final)
	f[len(f)-3]++ // second checksum digit; stays a hex digit for these tests
	if f[len(f)-3] == ':' {
		f[len(f)-3] = 'A'
	}
	return f
}

const hdr = "H|\\^&|||Analyser^1.2|||||LIS||P|LIS2-A2|20240101120000\r"

func TestDecoder(t *testing.T) {
	tests := []struct {
		name string
		dec  Decoder // limits
		in   []byte
		want []string
	}{
		{
			name: "session",
			in: stream(ctl(ENQ), frame(1, hdr, true), frame(2, "P|1||PID1\r", true),
				frame(3, "R|1|^^^GLU|5.5|mmol/L||N||F\r", true), frame(4, "L|1|N\r", true), ctl(EOT)),
			want: []string{
				"@0 ENQ",
				"@1 frame 1 ETX checksum=82 sum=82 len=55",
				`@3 record H header delims="|\\^&" sender="Analyser^1.2" name="Analyser" receiver="LIS" processing="P" version="LIS2-A2" time="20240101120000"`,
				"@63 frame 2 ETX checksum=45 sum=45 len=10",
				`@65 record P patient seq=1 lab_id="PID1"`,
				"@80 frame 3 ETX checksum=04 sum=04 len=28",
				`@82 record R result seq=1 code="GLU" value="5.5" units="mmol/L" flags="N" status="F"`,
				"@115 frame 4 ETX checksum=07 sum=07 len=6",
				`@117 record L terminator seq=1 code="N" meaning=normal`,
				"@128 EOT",
			},
		},
		{
			name: "intermediate frames joined",
			in: stream(ctl(ENQ), frame(1, "R|1|^^^GL", false), frame(2, "U|5.5|mmol", false),
				frame(3, "/L\rL|1\r", true), ctl(EOT)),
			want: []string{
				"@0 ENQ",
				"@1 frame 1 ETB checksum=70 sum=70 len=9",
				"@17 frame 2 ETB checksum=E3 sum=E3 len=10",
				"@34 frame 3 ETX checksum=C4 sum=C4 len=7",
				`@3 record R result seq=1 code="GLU" value="5.5" units="mmol/L"`,
				"@39 record L terminator seq=1",
				"@48 EOT",
			},
		},
		{
			name: "checksum error then retransmission",
			in:   stream(ctl(ENQ), badFrame(1, "L|1|N\r", true), frame(1, "L|1|N\r", true), ctl(EOT)),
			want: []string{
				"@0 ENQ",
				"@1 frame 1 ETX checksum=05 sum=04 len=6 error: astm: frame checksum mismatch at offset 1",
				"@14 frame 1 ETX checksum=04 sum=04 len=6",
				`@16 record L terminator seq=1 code="N" meaning=normal`,
				"@27 EOT",
			},
		},
		{
			name: "retransmitted frame used once",
			in:   stream(ctl(ENQ), frame(1, "L|1|N\r", true), frame(1, "L|1|N\r", true), ctl(EOT)),
			want: []string{
				"@0 ENQ",
				"@1 frame 1 ETX checksum=04 sum=04 len=6",
				`@3 record L terminator seq=1 code="N" meaning=normal`,
				"@14 frame 1 ETX checksum=04 sum=04 len=6 duplicate",
				"@27 EOT",
			},
		},
		{
			name: "frame number out of sequence",
			in:   stream(ctl(ENQ), frame(3, "L|1|N\r", true)),
			want: []string{
				"@0 ENQ",
				"@1 frame 3 ETX checksum=06 sum=06 len=6 error: astm: frame number out of sequence at offset 1",
				`@3 record L terminator seq=1 code="N" meaning=normal`,
			},
		},
		{
			name: "junk between frames",
			in:   stream([]byte("garbage\x03zz"), frame(1, "L|1|N\r", true), []byte("more junk"), ctl(EOT)),
			want: []string{
				"error: astm: unexpected bytes between frames at offset 0",
				"@10 frame 1 ETX checksum=04 sum=04 len=6",
				`@12 record L terminator seq=1 code="N" meaning=normal`,
				"error: astm: unexpected bytes between frames at offset 23",
				"@32 EOT",
			},
		},
		{
			name: "frame cut short by EOT",
			in:   stream(ctl(ENQ), []byte("\x021R|1|^^^GL"), ctl(EOT), frame(1, "L|1\r", true)),
			want: []string{
				"@0 ENQ",
				"error: astm: malformed frame at offset 1",
				"@12 EOT",
				"@13 frame 1 ETX checksum=3A sum=3A len=4",
				"@15 record L terminator seq=1",
			},
		},
		{
			name: "bad frame number and bad checksum digits",
			in:   stream([]byte("\x02AL|1\r\x03zz\r\n"), []byte("\x021L|1\r\x03Q1\r\n"), frame(1, "L|2\r", true)),
			want: []string{
				"error: astm: malformed frame at offset 1",
				"error: astm: malformed frame at offset 18",
				"@22 frame 1 ETX checksum=3B sum=3B len=4",
				"@24 record L terminator seq=2",
			},
		},
		{
			name: "record cut by EOT",
			in:   stream(ctl(ENQ), frame(1, "R|1|^^^GL", false), ctl(EOT), ctl(ENQ), frame(1, "L|1\r", true)),
			want: []string{
				"@0 ENQ",
				"@1 frame 1 ETB checksum=70 sum=70 len=9",
				"@17 EOT error: astm: incomplete record at offset 17",
				"@18 ENQ",
				"@19 frame 1 ETX checksum=3A sum=3A len=4",
				"@21 record L terminator seq=1",
			},
		},
		{
			name: "frame too long",
			dec:  Decoder{MaxFrame: 8},
			in:   stream(frame(1, "R|1|^^^GLU|5.5\r", true), frame(2, "L|1\r", true)),
			want: []string{
				"error: astm: frame too long at offset 0",
				"@22 frame 2 ETX checksum=3B sum=3B len=4",
				"@24 record L terminator seq=1",
			},
		},
		{
			name: "record too long",
			dec:  Decoder{MaxRecord: 12},
			in: stream(frame(1, "R|1|^^^GLU|5.", false), frame(2, "5|mmol/L", false), frame(3, "|N\rL|1\r", true),
				frame(4, "C|1|I|0123456789\r", true)),
			want: []string{
				"@0 frame 1 ETB checksum=A4 sum=A4 len=13",
				"error: astm: record too long at offset 2",
				"@20 frame 2 ETB checksum=2A sum=2A len=8",
				"@35 frame 3 ETX checksum=13 sum=13 len=7",
				"@40 record L terminator seq=1",
				"@49 frame 4 ETX checksum=82 sum=82 len=17",
				"error: astm: record too long at offset 51",
			},
		},
		{
			name: "unframed records",
			in:   []byte("H|@^\\|||Dev^2.0\rR|1|^^^A^B@^^^C|1.0|g||H\r\nL|1|N\n"),
			want: []string{
				`@0 record H header delims="|@^\\" sender="Dev^2.0" name="Dev"`,
				`@16 record R result seq=1 code="A" value="1.0" units="g" flags="H"`,
				`@42 record L terminator seq=1 code="N" meaning=normal`,
			},
		},
		{
			name: "not a record inside a frame",
			in:   stream(frame(1, "1234\r", true)),
			want: []string{
				"@0 frame 1 ETX checksum=0B sum=0B len=5",
				"error: astm: not an ASTM record at offset 2",
			},
		},
		{
			name: "frame numbers wrap after 7",
			in: stream(ctl(ENQ), frame(1, "C|1\r", true), frame(2, "C|2\r", true), frame(3, "C|3\r", true), frame(4, "C|4\r", true),
				frame(5, "C|5\r", true), frame(6, "C|6\r", true), frame(7, "C|7\r", true), frame(0, "C|8\r", true), frame(1, "C|9\r", true)),
			want: []string{
				"@0 ENQ",
				"@1 frame 1 ETX checksum=31 sum=31 len=4",
				"@3 record C comment seq=1",
				"@12 frame 2 ETX checksum=33 sum=33 len=4",
				"@14 record C comment seq=2",
				"@23 frame 3 ETX checksum=35 sum=35 len=4",
				"@25 record C comment seq=3",
				"@34 frame 4 ETX checksum=37 sum=37 len=4",
				"@36 record C comment seq=4",
				"@45 frame 5 ETX checksum=39 sum=39 len=4",
				"@47 record C comment seq=5",
				"@56 frame 6 ETX checksum=3B sum=3B len=4",
				"@58 record C comment seq=6",
				"@67 frame 7 ETX checksum=3D sum=3D len=4",
				"@69 record C comment seq=7",
				"@78 frame 0 ETX checksum=37 sum=37 len=4",
				"@80 record C comment seq=8",
				"@89 frame 1 ETX checksum=39 sum=39 len=4",
				"@91 record C comment seq=9",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := &tt.dec
			for _, chunks := range [][]int{nil, {1}, {2, 3}} {
				got := decodeAll(d, tt.in, chunks)
				if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
					t.Errorf("chunks %v: got\n%s\nwant\n%s", chunks, strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
				}
			}
		})
	}
}

func TestDecoderGap(t *testing.T) {
	d := new(Decoder)
	d.Feed(stream(ctl(ENQ), frame(1, "R|1|^^^GL", false)))
	for {
		if _, err := d.Next(); err == ErrNeedMore {
			break
		}
	}
	d.Gap(-1)
	got := decodeAllNoReset(d, stream([]byte("U|5.5\r"), ctl(ETX), []byte("00\r\n"), frame(3, "L|1\r", true)))
	want := "error: astm: unexpected bytes between frames at offset 17\n@28 frame 3 ETX checksum=3C sum=3C len=4\n@30 record L terminator seq=1"
	if strings.Join(got, "\n") != want {
		t.Errorf("after gap got\n%s\nwant\n%s", strings.Join(got, "\n"), want)
	}
}

func decodeAllNoReset(d *Decoder, data []byte) []string {
	var out []string
	d.Feed(data)
	for {
		it, err := d.Next()
		if err == ErrNeedMore {
			return out
		}
		out = append(out, describeItem(it, err))
	}
}

func TestDecoderErrorsAreTyped(t *testing.T) {
	d := new(Decoder)
	d.Feed(badFrame(1, "L|1\r", true))
	_, err := d.Next()
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, ErrChecksum) || e.Offset != 0 {
		t.Fatalf("err = %#v, want *Error wrapping ErrChecksum at 0", err)
	}
}

func TestAppendFrames(t *testing.T) {
	rec := []byte("R|1|" + strings.Repeat("x", 500) + "\r")
	b, next := AppendFrames(nil, 7, rec, 0)
	if next != 2 {
		t.Errorf("next frame = %d, want 2", next)
	}
	got := decodeAll(new(Decoder), b, nil)
	if len(got) != 4 || !strings.Contains(got[0], "frame 7 ETB") || !strings.Contains(got[2], "frame 1 ETX") ||
		!strings.HasPrefix(got[3], "@2 record R result seq=1") {
		t.Errorf("got %q", got)
	}
}

func TestDecoderOffset(t *testing.T) {
	d := new(Decoder)
	in := stream(ctl(ENQ), frame(1, "L|1\r", true))
	d.Feed(in)
	for {
		if _, err := d.Next(); err == ErrNeedMore {
			break
		}
	}
	if d.Offset() != int64(len(in)) {
		t.Errorf("Offset = %d, want %d", d.Offset(), len(in))
	}
}

// drain describes the items Next returns until ErrNeedMore.
func drain(d *Decoder) []string {
	var out []string
	for i := 0; ; i++ {
		it, err := d.Next()
		if err == ErrNeedMore {
			return out
		}
		if i > 100 {
			panic("decoder makes no progress")
		}
		out = append(out, describeItem(it, err))
	}
}

func TestDecoderFlush(t *testing.T) {
	tests := []struct {
		name string
		dec  Decoder
		in   []byte
		want []string // after Flush
	}{
		{"unframed line without line end", Decoder{}, []byte("H|\\^&\rL|1|N"), []string{`@6 record L terminator seq=1 code="N" meaning=normal`}},
		{"unframed line that is not a record", Decoder{}, []byte("H|\\^&\r1234"), []string{"error: astm: not an ASTM record at offset 6"}},
		{"unframed, line end present", Decoder{}, []byte("H|\\^&\rL|1|N\r"), nil},
		{"unframed, oversized line", Decoder{MaxRecord: 8}, []byte("H|\\^&\rR|1|^^^GLU|5.5"), nil},
		{"record cut after an intermediate frame", Decoder{}, stream(ctl(ENQ), frame(1, "R|1|^^^GL", false)),
			[]string{"error: astm: incomplete record at offset 3"}},
		{"frame cut short", Decoder{}, stream(ctl(ENQ), []byte("\x021R|1|^^")), []string{"error: astm: malformed frame at offset 1"}},
		{"frame cut in its checksum", Decoder{}, stream(ctl(ENQ), frame(1, "L|1\r", true)[:8]), []string{"error: astm: malformed frame at offset 1"}},
		{"record and frame cut", Decoder{}, stream(ctl(ENQ), frame(1, "R|1|^^^GL", false), []byte("\x022U|5")),
			[]string{"error: astm: incomplete record at offset 3", "error: astm: malformed frame at offset 17"}},
		{"oversized record being skipped", Decoder{MaxRecord: 8}, stream(ctl(ENQ), frame(1, "R|1|^^^GLU|5.5", false)), nil},
		{"oversized frame being skipped", Decoder{MaxFrame: 4}, stream(ctl(ENQ), []byte("\x021R|1|^^^GLU")), nil},
		{"complete transfer", Decoder{}, stream(ctl(ENQ), frame(1, "L|1\r", true), ctl(EOT)), nil},
		{"nothing", Decoder{}, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, chunks := range [][]int{nil, {1}, {3}} {
				d := tt.dec
				decodeAll(&d, tt.in, chunks)
				d.Flush()
				got := drain(&d)
				if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
					t.Errorf("chunks %v: got\n%s\nwant\n%s", chunks, strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
				}
				if again := drain(&d); len(again) != 0 {
					t.Errorf("chunks %v: Next after the flush gives %q", chunks, again)
				}
				if d.Buffered() != 0 {
					t.Errorf("chunks %v: %d bytes buffered after the flush", chunks, d.Buffered())
				}
			}
		})
	}
}

// TestDecoderZeroValue checks that a zero Decoder, a Reset one and one whose
// limits are set in the struct decode alike, and that Reset keeps the
// limits.
func TestDecoderZeroValue(t *testing.T) {
	in := stream(ctl(ENQ), frame(1, "R|1|^^^GL", false), frame(2, "U|5.5\r", true), frame(3, "L|1\r", true), ctl(EOT))
	var zero Decoder
	want := decodeAllNoReset(&zero, in)
	if len(want) != 7 {
		t.Fatalf("zero value: %q", want)
	}
	d := Decoder{MaxFrame: DefaultMaxFrame, MaxRecord: DefaultMaxRecord}
	if got := decodeAllNoReset(&d, in); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("explicit defaults: %q, want %q", got, want)
	}
	small := Decoder{MaxRecord: 5}
	small.Reset()
	if small.MaxRecord != 5 || small.MaxFrame != 0 {
		t.Errorf("Reset changed the limits: %+v", small)
	}
	got := decodeAllNoReset(&small, in)
	if !strings.Contains(strings.Join(got, "\n"), "record too long") {
		t.Errorf("MaxRecord 5 not applied: %q", got)
	}
	var g Decoder
	g.Gap(-1) // a Gap before anything else
	if got := decodeAllNoReset(&g, in); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("after an initial gap: %q, want %q", got, want)
	}
}

// TestDecoderBuffered checks what Buffered reports while a record is split
// across frames and chunks.
func TestDecoderBuffered(t *testing.T) {
	var d Decoder
	d.Feed(stream(ctl(ENQ), frame(1, "R|1|^^^GL", false), []byte("\x022U|5")))
	drain(&d)
	if got := d.Buffered(); got != len("R|1|^^^GL")+len("U|5") {
		t.Errorf("Buffered = %d, want %d", got, len("R|1|^^^GL")+len("U|5"))
	}
	d.Feed([]byte(".5\r\x03"))
	drain(&d)
	d.Feed([]byte("00\r\n")) // wrong checksum: the frame is refused
	drain(&d)
	if got := d.Buffered(); got != len("R|1|^^^GL") {
		t.Errorf("after a refused frame, Buffered = %d, want %d", got, len("R|1|^^^GL"))
	}
	d.Reset()
	if d.Buffered() != 0 {
		t.Errorf("after Reset, Buffered = %d", d.Buffered())
	}
}

func TestErrorByteOffset(t *testing.T) {
	var d Decoder
	d.Feed(stream(ctl(ENQ), badFrame(1, "L|1\r", true)))
	for {
		_, err := d.Next()
		if err == ErrNeedMore {
			t.Fatal("no error")
		}
		if err != nil {
			e, ok := err.(interface{ ByteOffset() int64 })
			if !ok || e.ByteOffset() != 1 {
				t.Fatalf("%v: ByteOffset missing or not 1", err)
			}
			return
		}
	}
}
