// Command medscan analyses packet captures of hospital networks: it lists
// the devices and flows it saw, and every protocol event medtap decodes
// (DICOM associations and commands, HL7 messages, lab records, ...).
//
// Usage:
//
//	medscan [flags] [FILE ...]
//
// With no FILE it analyses the sample capture embedded in the binary; "-"
// reads standard input. Captures may be pcap or pcapng, optionally gzip or
// zstd compressed. By default it prints tables for people; -json prints
// JSON Lines for machines, one object per line with "type" set to "event",
// "device" or "summary" and "ts" in RFC 3339 with nanoseconds.
//
// Exit status: 0 when every capture was read, 1 when an input could not be
// read (what was read is still reported), 2 on usage errors.
package main

import (
	"bufio"
	"bytes"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/medtap/medtap/capture"
	"github.com/medtap/medtap/flow"
	_ "github.com/medtap/medtap/flow/all" // every protocol
	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

//go:embed testdata/sample.pcapng
var sample []byte

// progressThreshold is the input size above which a progress bar is shown
// (when stderr is a terminal).
const progressThreshold = 8 << 20

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

type options struct {
	json       bool
	maxFlows   int
	maxBuffer  int
	maxMessage int
	defrag     bool
	noProgress bool
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("medscan", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o options
	fs.BoolVar(&o.json, "json", false, "print JSON Lines instead of tables")
	fs.IntVar(&o.maxFlows, "max-flows", 65536, "maximum number of flows tracked at once")
	fs.IntVar(&o.maxBuffer, "max-buffer", 64<<20, "maximum bytes held by all flows together: out-of-order TCP data and protocol decoders' buffers")
	fs.IntVar(&o.maxMessage, "max-message", 0, "maximum bytes buffered for one protocol message (0: each protocol's default)")
	fs.BoolVar(&o.defrag, "defrag", true, "reassemble fragmented IP datagrams")
	fs.BoolVar(&o.noProgress, "no-progress", false, "never show a progress bar")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: medscan [flags] [FILE ...]\n\n"+
			"Analyses pcap/pcapng captures (gzip or zstd compressed too) of hospital networks.\n"+
			"With no FILE, analyses the embedded sample capture; - reads standard input.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if o.maxFlows <= 0 || o.maxBuffer <= 0 || o.maxMessage < 0 {
		fmt.Fprintln(stderr, "medscan: -max-flows and -max-buffer must be positive, -max-message not negative")
		return 2
	}

	out := bufio.NewWriterSize(stdout, 64<<10)
	defer out.Flush()
	var rep reporter
	if o.json {
		rep = newJSONReporter(out)
	} else {
		rep = newTableReporter(out)
	}
	eng, err := flow.NewEngine(flow.Config{
		MaxFlows:            o.maxFlows,
		MaxBufferedBytes:    o.maxBuffer,
		MaxMessageBytes:     o.maxMessage,
		ReassembleFragments: o.defrag,
	}, rep)
	if err != nil {
		fmt.Fprintf(stderr, "medscan: %v\n", err)
		return 2
	}

	inputs := fs.Args()
	status := 0
	if len(inputs) == 0 {
		if err := scan(eng, "sample.pcapng (embedded)", bytes.NewReader(sample), int64(len(sample)), o, stderr); err != nil {
			fmt.Fprintf(stderr, "medscan: %v\n", err)
			status = 1
		}
	}
	for _, name := range inputs {
		if err := scanPath(eng, name, stdin, o, stderr); err != nil {
			fmt.Fprintf(stderr, "medscan: %v\n", err)
			status = 1
		}
	}
	st := eng.Stats()
	rep.finish(&st)
	return status
}

func scanPath(eng *flow.Engine, name string, stdin io.Reader, o options, stderr io.Writer) error {
	if name == "-" {
		return scan(eng, "stdin", stdin, -1, o, stderr)
	}
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	size := int64(-1)
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
		size = fi.Size()
	}
	return scan(eng, name, f, size, o, stderr)
}

func scan(eng *flow.Engine, name string, r io.Reader, size int64, o options, stderr io.Writer) error {
	if !o.noProgress && size > progressThreshold && isTerminal(stderr) {
		bar := progressbar.DefaultBytes(size, name)
		defer bar.Finish()
		r = io.TeeReader(r, bar)
	}
	cr, err := capture.NewReader(r, nil)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	defer cr.Close()
	if err := eng.Run(cr); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
