// Command hl7dump prints HL7 v2 messages.
//
//	hl7dump FILE            segments and fields, for people
//	hl7dump -json FILE      JSON Lines, one message per line
//	hl7dump -get PATH FILE  the unescaped value at PATH (e.g. PID-5-1,
//	                        OBX(2)-5), one line per message
//
// FILE may hold one message, several, a batch (BHS/BTS) or file (FHS/FTS),
// with CR, LF or CRLF between segments, an MLLP stream (frames <SB> …
// <EB><CR>, as captured from a socket), or a pcap or pcapng capture
// (optionally gzip or zstd compressed), whose HL7 messages and ACKs are
// decoded from every TCP flow; "-" reads stdin. Text is shown as
// sent, except that -get and the readable form decode escape sequences and
// convert the MSH-18 character set to UTF-8.
//
// In JSON mode each line is {"type":"ADT^A01","control_id":"…",
// "version":"2.5","charset":"","segments":[["MSH","|","^~\\&",…],…]}: each
// segment an array of its name and raw (escaped) fields.
//
// Errors go to stderr with their byte offset after every message that could
// be read has been printed, and the exit status is 1; an input in which no
// message is found (an empty file, a capture without HL7) is reported so, with
// exit status 1.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/medtap/medtap/capture"
	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/flow/hl7flow"
	"github.com/medtap/medtap/hl7"
	"github.com/medtap/medtap/mllp"
)

func main() {
	jsonOut := flag.Bool("json", false, "print JSON Lines, one message per line")
	get := flag.String("get", "", "print the unescaped value at `PATH` (e.g. PID-5-1), one line per message")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: hl7dump [-json | -get PATH] FILE|-")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	os.Exit(run(flag.Arg(0), *jsonOut, *get, os.Stdin, os.Stdout, os.Stderr))
}

func run(name string, jsonOut bool, get string, stdin io.Reader, stdout, stderr io.Writer) int {
	var (
		data []byte
		err  error
	)
	if name == "-" {
		data, err = io.ReadAll(stdin)
	} else {
		data, err = os.ReadFile(name)
	}
	if err != nil {
		fmt.Fprintln(stderr, "hl7dump:", err)
		return 1
	}
	d := &dumper{jsonOut: jsonOut}
	if get != "" {
		p, err := hl7.ParsePath(get)
		if err != nil {
			fmt.Fprintf(stderr, "hl7dump: -get %q: %v\n", get, err)
			return 2
		}
		d.get = &p
	}
	w := bufio.NewWriter(stdout)
	errs := d.dump(w, data)
	w.Flush()
	for _, err := range errs {
		fmt.Fprintln(stderr, "hl7dump:", err)
	}
	if d.n == 0 {
		if name == "-" {
			name = "standard input"
		}
		fmt.Fprintf(stderr, "hl7dump: no HL7 messages found in %s (%s)\n", name, d.looked)
		return 1
	}
	if len(errs) > 0 {
		return 1
	}
	return 0
}

type dumper struct {
	jsonOut bool
	get     *hl7.Path
	n       int    // messages printed
	looked  string // where messages were looked for, for "no HL7 messages found"
	buf     []byte
}

// dump prints every message in data, a capture, MLLP-framed or plain, and
// returns the errors met.
func (d *dumper) dump(w *bufio.Writer, data []byte) []error {
	if r, err := capture.NewReader(bytes.NewReader(data), nil); err == nil {
		d.looked = "a capture; HL7 was looked for in every TCP flow"
		return d.capture(w, r)
	}
	if len(data) == 0 {
		d.looked = "the input is empty"
		return nil
	}
	if bytes.IndexByte(data, mllp.SB) < 0 { // plain HL7 never holds SB
		d.looked = "read as HL7 text, being neither a capture nor MLLP-framed"
		if err := d.batch(w, data, 0); err != nil {
			return []error{err}
		}
		return nil
	}
	d.looked = "read as an MLLP stream"
	var errs []error
	var dec mllp.StreamDecoder
	dec.Feed(data)
	dec.Flush()
	for {
		f, err := dec.Next()
		if err == mllp.ErrNeedMore {
			break
		}
		if err != nil {
			// The decoder reuses its *FrameError: keep a copy.
			if fe, ok := err.(*mllp.FrameError); ok {
				c := *fe
				err = &c
			}
			errs = append(errs, err)
			continue
		}
		if _, ok := mllp.IsCommitAck(f.Payload); ok {
			continue
		}
		if err := d.batch(w, f.Payload, f.Offset+1); err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

// capture prints the HL7 messages and ACKs the flow engine finds in a
// capture, in packet order.
func (d *dumper) capture(w *bufio.Writer, r *capture.Reader) []error {
	var errs []error
	e, err := flow.NewEngine(flow.Config{Protocols: []string{hl7flow.Name}}, flow.SinkFunc(func(ev *flow.Event) {
		switch det := ev.Detail.(type) {
		case *hl7flow.Message:
			d.n++
			d.message(w, det.Message)
		case *hl7flow.Ack:
			if det.Message != nil {
				d.n++
				d.message(w, det.Message)
			}
		case *flow.DecodeErrorDetail:
			errs = append(errs, fmt.Errorf("%v → %v: %w", ev.Src, ev.Dst, det.Err))
		}
	}))
	if err != nil {
		return []error{err}
	}
	if err := e.Run(r); err != nil {
		errs = append(errs, err)
	}
	return errs
}

// batch prints the messages of one payload; base is its offset in the
// input, for error messages.
func (d *dumper) batch(w *bufio.Writer, data []byte, base int64) error {
	var b hl7.Batch
	b.Reset(data)
	for b.Next() {
		d.n++
		d.message(w, b.Message())
	}
	err := b.Err()
	var pe *hl7.ParseError
	if errors.As(err, &pe) {
		pe.Offset += base
	}
	return err
}

func (d *dumper) message(w *bufio.Writer, m *hl7.Message) {
	switch {
	case d.get != nil:
		d.buf = d.text(d.buf[:0], m, m.Value(*d.get))
		w.Write(d.buf)
		w.WriteByte('\n')
	case d.jsonOut:
		d.json(w, m)
	default:
		d.human(w, m)
	}
}

// text appends v unescaped and converted from MSH-18 to UTF-8, following
// the \C..\ and \M..\ character set switches (an unknown switch gives
// U+FFFD for what it covers). An unknown MSH-18 leaves the bytes as they
// are, unescaped.
func (d *dumper) text(dst []byte, m *hl7.Message, v hl7.Value) []byte {
	out, err := v.AppendText(dst, m.Charset().Rep(1).Bytes())
	if err != nil && !errors.Is(err, hl7.ErrCharsetEscape) {
		return v.AppendUnescaped(dst)
	}
	return out
}

type jsonMessage struct {
	Type      string     `json:"type"`
	ControlID string     `json:"control_id"`
	Version   string     `json:"version"`
	Charset   string     `json:"charset"`
	Segments  [][]string `json:"segments"`
}

func (d *dumper) json(w *bufio.Writer, m *hl7.Message) {
	jm := jsonMessage{Type: m.Type().String(), ControlID: m.ControlID().String(),
		Version: m.Version().String(), Charset: m.Charset().String()}
	for i := range m.NumSegments() {
		seg := m.SegmentAt(i)
		fields := []string{string(seg.Name())}
		for f := 1; f <= seg.NumFields(); f++ {
			fields = append(fields, seg.Field(f).String())
		}
		jm.Segments = append(jm.Segments, fields)
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(jm)
}

// human prints each segment, then each non-empty field with its path;
// fields with repetitions or components are broken down one level per
// line, every value unescaped.
func (d *dumper) human(w *bufio.Writer, m *hl7.Message) {
	fmt.Fprintf(w, "message %d: %s control_id=%s version=%s segments=%d terminators=%s\n",
		d.n, m.Type(), m.ControlID(), m.Version(), m.NumSegments(), m.Terminators())
	occ := map[string]int{}
	for i := range m.NumSegments() {
		seg := m.SegmentAt(i)
		name := string(seg.Name())
		occ[name]++
		segPath := name
		if occ[name] > 1 {
			segPath += "(" + strconv.Itoa(occ[name]) + ")"
		}
		fmt.Fprintf(w, "%s\n", segPath)
		for f := 1; f <= seg.NumFields(); f++ {
			v := seg.Field(f)
			if v.IsEmpty() {
				continue
			}
			p := segPath + "-" + strconv.Itoa(f)
			d.buf = d.text(d.buf[:0], m, v)
			if (name == "MSH" || name == "BHS" || name == "FHS") && f <= 2 {
				d.buf = append(d.buf[:0], v.Bytes()...) // the delimiters themselves
			}
			fmt.Fprintf(w, "  %-14s %s\n", p, d.buf)
			if f <= 2 && (name == "MSH" || name == "BHS" || name == "FHS") {
				continue
			}
			reps := v.NumReps()
			for rc := v.Reps(); rc.Next(); {
				r := rc.Value()
				rp := p
				if reps > 1 {
					rp += "(" + strconv.Itoa(rc.Index()) + ")"
				}
				if r.NumComps() == 1 {
					if reps > 1 && !r.IsEmpty() {
						d.buf = d.text(d.buf[:0], m, r)
						fmt.Fprintf(w, "    %-14s %s\n", rp, d.buf)
					}
					continue
				}
				for cc := r.Comps(); cc.Next(); {
					c := cc.Value()
					if c.IsEmpty() {
						continue
					}
					d.buf = d.text(d.buf[:0], m, c)
					fmt.Fprintf(w, "    %-14s %s\n", rp+"-"+strconv.Itoa(cc.Index()), d.buf)
				}
			}
		}
	}
}
