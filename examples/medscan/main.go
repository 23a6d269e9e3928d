// Command medscan analyses packet captures of hospital networks: it lists
// the devices and flows it saw, and every protocol event medtap decodes
// (DICOM associations and commands, HL7 messages, lab records, ...).
//
// Usage:
//
//	medscan [flags] [FILE ...]
//	medscan [flags] -i INTERFACE [-bpf EXPRESSION]
//
// With no FILE it analyses the sample capture embedded in the binary; "-"
// reads standard input. Captures may be pcap or pcapng, optionally gzip or
// zstd compressed. By default it prints tables for people; -json prints
// JSON Lines for machines, one object per line with "type" set to "event",
// "alert", "device" or "summary" and "ts" in RFC 3339 with nanoseconds.
//
// The detectors of package detect run on every event and report alerts:
// an ALERTS table, or "alert" lines as they happen. -detect-config tunes or
// turns off rules; -baseline FILE learns what is normal from the inputs and
// saves it, -detect-with FILE loads it and alerts on new devices, peers,
// services, HL7 senders, AE pairs and volume or rate spikes (without a
// baseline those rules are off).
//
// Values that can identify a patient (DICOM query keys, ASTM patient
// records, POCT1-A patient IDs) are written as keyed hashes by default, so
// that equal values still correlate; -phi keep shows them, -phi drop leaves
// null in their place.
//
// With -i it captures live from a network interface (Linux, AF_PACKET;
// root or CAP_NET_RAW) until SIGINT or SIGTERM, in promiscuous mode unless
// -promisc=false, keeping only packets matching -bpf (a pcap-filter
// expression, compiled with tcpdump) when given; at the end it says on
// stderr how many packets the kernel dropped.
//
// -workers N runs N flow engines in parallel: each capture is read once and
// its packets are spread over the engines by address pair; the output is
// the same as with one engine (with the peak_* counters the sums of each
// engine's peak). With -i, each engine reads a socket of its own in one
// PACKET_FANOUT group (the kernel spreads packets by flow) on a goroutine
// of its own, and the events reach the output as they happen.
//
// Flags may come before or after the file names. On a live input (a pipe
// from tcpdump -U -w -), JSON Lines are written as events happen: at least
// once a second, by the clock and by packet time. SIGINT or SIGTERM ends the
// run as the end of the input does: open flows are ended and the report is
// printed.
//
// -o FILE writes the output to a file; with -json, -rotate 1h or -rotate
// 100MB starts a new file (the old one renamed FILE.<UTC time>) between
// lines when it is that old or that large. Reading a live interface (-i) or
// a pipe on a terminal, a line of counters goes to stderr every 10 seconds
// (-status sets the interval).
//
// Exit status: 0 when every capture was read (or the run was interrupted),
// 1 when an input could not be read (what was read is still reported;
// nothing when nothing was), 2 on usage errors.
package main

import (
	"bufio"
	"bytes"
	"context"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"sync"
	"syscall"
	"time"

	"github.com/medtap/medtap/capture"
	"github.com/medtap/medtap/detect"
	"github.com/medtap/medtap/fingerprint"
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

// flushEvery is how often, by the clock and by packet time, JSON Lines
// reach the output on a live input.
const flushEvery = time.Second

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	status := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(status)
}

type options struct {
	json       bool
	maxFlows   int
	maxBuffer  int
	maxMessage int
	defrag     bool
	noProgress bool
	phi        string
	phiKeyFile string
	segment    string
	inventory  string
	det        detectOptions
	bus        busOptions
	live       liveOptions
	outFile    string
	rotate     string
	statusDur  time.Duration
	status     *statusLine
	workers    int
}

// parseArgs parses flags wherever they are among the file names, as most
// command-line tools do; after "--" everything is a file name.
func parseArgs(fs *flag.FlagSet, args []string) (inputs []string, err error) {
	var tail []string
	for i, a := range args {
		if a == "--" {
			args, tail = args[:i], args[i+1:]
			break
		}
	}
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			break
		}
		inputs = append(inputs, fs.Arg(0))
		args = fs.Args()[1:]
	}
	return append(inputs, tail...), nil
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("medscan", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o options
	fs.BoolVar(&o.json, "json", false, "print JSON Lines instead of tables")
	fs.IntVar(&o.maxFlows, "max-flows", 65536, "maximum number of flows tracked at once")
	fs.IntVar(&o.maxBuffer, "max-buffer", 64<<20, "maximum bytes held by all flows together: out-of-order TCP data and protocol decoders' buffers")
	fs.IntVar(&o.maxMessage, "max-message", 0, "maximum bytes buffered for one protocol message (0: each protocol's default)")
	fs.BoolVar(&o.defrag, "defrag", true, "reassemble fragmented IP datagrams")
	fs.BoolVar(&o.noProgress, "no-progress", false, "never show a progress bar")
	fs.StringVar(&o.phi, "phi", "hash", "patient data in events: hash (a keyed hash: equal values correlate, unreadable), keep, or drop")
	fs.StringVar(&o.phiKeyFile, "phi-key-file", "", "file holding the key of -phi hash (default: a random key per run)")
	fs.StringVar(&o.inventory, "inventory", "", "load the inventory saved in `FILE` (if it exists), merge this run's devices into it and save it back; what changed goes to stderr")
	fs.BoolVar(&o.det.off, "no-detect", false, "run no detectors (no alerts)")
	fs.StringVar(&o.det.config, "detect-config", "", "read the detectors' configuration from `FILE` (JSON: rules turned off, severities, thresholds; see package detect)")
	fs.StringVar(&o.det.baseline, "baseline", "", "learn what is normal from the inputs and save the baseline to `FILE` (baseline rules raise nothing while learning)")
	fs.StringVar(&o.det.detectWith, "detect-with", "", "load the baseline saved in `FILE` (by -baseline) and alert on what departs from it")
	fs.StringVar(&o.bus.url, "nats", "", "publish events, alerts, devices and the summary as JSON Lines to the NATS JetStream server(s) at `URL` (comma-separated; tls:// for TLS), to subjects medtap.<sensor>.<type>")
	fs.StringVar(&o.bus.sensor, "sensor", "", "this sensor's `NAME` in bus subjects (default: the host name)")
	fs.StringVar(&o.bus.creds, "nats-creds", "", "NATS credentials `FILE` (user JWT and NKey seed)")
	fs.StringVar(&o.bus.tlsCA, "nats-tls", "", "connect with TLS, trusting the CA certificates in `FILE` (PEM)")
	fs.StringVar(&o.bus.tlsCert, "nats-tls-cert", "", "client certificate `FILE` (PEM) for TLS")
	fs.StringVar(&o.bus.tlsKey, "nats-tls-key", "", "client key `FILE` (PEM) for TLS")
	fs.StringVar(&o.bus.spool, "nats-spool", "", "spool `DIR`ectory that holds messages until the bus acknowledges them (default: in the user cache directory)")
	fs.StringVar(&o.bus.stream, "nats-stream", "MEDTAP", "JetStream stream `NAME`, created when missing")
	fs.IntVar(&o.bus.replica, "nats-replicas", 1, "replicas of the stream when medscan creates it")
	fs.StringVar(&o.outFile, "o", "", "write the output to `FILE` instead of standard output")
	fs.StringVar(&o.rotate, "rotate", "", "with -o and -json, start a new file (the old one renamed FILE.<UTC time>) every `DURATION` (1h) or SIZE (100MB)")
	fs.DurationVar(&o.statusDur, "status", 0, "while reading a live interface or a pipe, print a line of counters to stderr every `DURATION` (default 10s on a terminal, off otherwise)")
	fs.IntVar(&o.workers, "workers", 1, "flow engines run in parallel, one per core: a capture is read once and its packets spread over them by address pair; the output is the same")
	fs.StringVar(&o.segment, "segmentation", "", "print segmentation advice from the flows seen and the device classes: json, table or nft (an nftables rule set to review)")
	o.live.register(fs)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: medscan [flags] [FILE ...]\n       medscan [flags] -i INTERFACE [-bpf EXPRESSION]\n\n"+
			"Analyses pcap/pcapng captures (gzip or zstd compressed too) of hospital networks.\n"+
			"With no FILE, analyses the embedded sample capture; - reads standard input.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	inputs, err := parseArgs(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if err := o.live.check(inputs); err != nil {
		fmt.Fprintln(stderr, "medscan:", err)
		return 2
	}
	if o.maxFlows <= 0 || o.maxBuffer <= 0 || o.maxMessage < 0 || o.workers <= 0 {
		fmt.Fprintln(stderr, "medscan: -max-flows, -max-buffer and -workers must be positive, -max-message not negative")
		return 2
	}
	switch o.segment {
	case "", "json", "table", "nft":
	default:
		fmt.Fprintf(stderr, "medscan: -segmentation %q: want json, table or nft\n", o.segment)
		return 2
	}
	phi, err := flow.ParsePHIPolicy(o.phi)
	if err != nil {
		fmt.Fprintln(stderr, "medscan: -phi:", err)
		return 2
	}
	var phiKey []byte
	if o.phiKeyFile != "" {
		if phiKey, err = os.ReadFile(o.phiKeyFile); err != nil || len(bytes.TrimSpace(phiKey)) == 0 {
			fmt.Fprintf(stderr, "medscan: -phi-key-file: %v\n", cmpErr(err, "empty key"))
			return 2
		}
		phiKey = bytes.TrimSpace(phiKey)
	}

	rot, err := parseRotation(o.rotate)
	if err != nil {
		fmt.Fprintf(stderr, "medscan: %v\n", err)
		return 2
	}
	if rot != (rotation{}) && (o.outFile == "" || !o.json) {
		fmt.Fprintln(stderr, "medscan: -rotate needs -o FILE and -json")
		return 2
	}
	var rf *rotatingFile
	if o.outFile != "" {
		if rf, err = openRotating(o.outFile, rot); err != nil {
			fmt.Fprintf(stderr, "medscan: -o: %v\n", err)
			return 2
		}
		defer rf.Close()
		stdout = rf
	}
	bs, err := openBus(&o.bus, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "medscan: -nats: %v\n", err)
		return 2
	}
	out := &output{w: bufio.NewWriterSize(stdout, 64<<10), rot: rf}
	var rep reporter
	var busRep *jsonReporter // the bus's JSON Lines beside the tables
	if o.json {
		if bs != nil {
			out.bus = bs
		}
		rep = newJSONReporter(out)
		stopTicker := out.flushEvery(flushEvery)
		defer stopTicker()
	} else {
		rep = newTableReporter(out)
	}
	var seg *segmentSink
	var sink flow.Sink = rep
	if o.segment != "" {
		seg = &segmentSink{next: rep}
		sink = seg
	}
	var alertSink detect.AlertSink
	switch r := rep.(type) {
	case *jsonReporter:
		r.alerts = &jsonAlerts{w: out}
		alertSink = r.alerts
	case *tableReporter:
		r.alerts = &alertTable{}
		alertSink = r.alerts
		if bs != nil {
			busRep = &jsonReporter{w: &output{w: bufio.NewWriterSize(bs, 64<<10)}, inv: r.inv, sharedInv: true}
			busRep.alerts = &jsonAlerts{w: busRep.w}
			alertSink = teeAlerts{r.alerts, busRep.alerts}
			sink = teeSink{sink, busRep}
		}
	}
	det, err := newDetector(o.det, rep.inventory(), alertSink)
	if err != nil {
		fmt.Fprintf(stderr, "medscan: %v\n", err)
		return 2
	}
	if det != nil {
		sink = &detectSink{next: sink, det: det}
	}
	statusEvery := o.statusDur
	if statusEvery == 0 && isTerminal(stderr) && (o.live.iface != "" || slices.Contains(inputs, "-")) {
		statusEvery = 10 * time.Second
	}
	fcfg := flow.Config{
		MaxFlows:            o.maxFlows,
		MaxBufferedBytes:    o.maxBuffer,
		MaxMessageBytes:     o.maxMessage,
		ReassembleFragments: o.defrag,
		PHI:                 phi,
		PHIKey:              phiKey,
	}
	var eng pipeline
	var fanout *fanoutPipeline
	if o.live.iface != "" && o.workers > 1 {
		// Live: one fanout socket and engine per worker, no copying.
		fanout, err = newFanout(o.workers, fcfg, sink)
		eng = fanout
	} else {
		eng, err = newPipeline(ctx, o.workers, o.live.iface != "", fcfg, sink)
	}
	if err != nil {
		fmt.Fprintf(stderr, "medscan: %v\n", err)
		return 2
	}
	defer eng.Close()

	if statusEvery > 0 {
		o.status = &statusLine{w: stderr, every: statusEvery, eng: eng, inv: rep.inventory(), det: det}
	}
	status := 0
	var packets int64
	var last time.Time
	var kernel *capture.LiveStats // a live capture's kernel counters
	scanOne := func(name string, r io.Reader, size int64) {
		n, t, err := scan(ctx, eng, name, r, size, o, stderr)
		packets += n
		if t.After(last) {
			last = t
		}
		if err != nil {
			fmt.Fprintf(stderr, "medscan: %v\n", err)
			status = 1
		}
	}
	switch {
	case fanout != nil:
		n, t, ks, err := scanFanout(ctx, fanout, o.live, o.status, stderr)
		packets, last, kernel = n, t, &ks
		if err != nil {
			fmt.Fprintf(stderr, "medscan: %v\n", err)
			status = 1
		}
	case o.live.iface != "":
		n, t, ks, err := scanLive(ctx, eng, o.live, o.status, stderr)
		packets, last, kernel = n, t, &ks
		if err != nil {
			fmt.Fprintf(stderr, "medscan: %v\n", err)
			status = 1
		}
	case len(inputs) == 0:
		scanOne("sample.pcapng (embedded)", bytes.NewReader(sample), int64(len(sample)))
	}
	for _, name := range inputs {
		if ctx.Err() != nil {
			break // interrupted: report what was read
		}
		if name == "-" {
			scanOne("stdin", stdin, -1)
			continue
		}
		f, err := os.Open(name)
		if err != nil {
			fmt.Fprintf(stderr, "medscan: %v\n", err)
			status = 1
			continue
		}
		size := int64(-1)
		if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
			size = fi.Size()
		}
		scanOne(name, f, size)
		f.Close()
	}
	if packets == 0 && status != 0 {
		return status // nothing was read: no empty report
	}
	if det != nil {
		det.Flush()
	}
	st := eng.Stats()
	rep.setKernel(kernel)
	rep.finish(&st, last)
	if busRep != nil {
		busRep.setKernel(kernel)
		busRep.finish(&st, last)
		busRep.w.Flush()
	}
	if seg != nil {
		out.Write(seg.render(rep.inventory(), o.segment, last))
	}
	if o.det.baseline != "" {
		if err := saveBaseline(det, o.det.baseline, stderr); err != nil {
			fmt.Fprintf(stderr, "medscan: -baseline: %v\n", err)
			status = 1
		}
	}
	if o.inventory != "" {
		if err := saveInventory(o.inventory, rep.inventory().Snapshot(last), stderr); err != nil {
			fmt.Fprintf(stderr, "medscan: -inventory: %v\n", err)
			status = 1
		}
	}
	out.Flush()
	if bs != nil {
		if err := closeBus(bs, stderr); err != nil {
			fmt.Fprintf(stderr, "medscan: %v\n", err)
			status = 1
		}
	}
	return status
}

// scan runs one capture through eng, then ends its flows. It stops early,
// without an error, when ctx is done (an interrupt), also while a read from
// a pipe is waiting for data. size is the input's size, or -1 for a stream.
// It returns the packets read and the time of the last one.
func scan(ctx context.Context, eng pipeline, name string, r io.Reader, size int64, o options, stderr io.Writer) (n int64, last time.Time, err error) {
	defer eng.Flush()
	if size < 0 {
		// A pipe or a terminal, where a read can block for as long as the
		// link is quiet: read it from a goroutine that an interrupt
		// abandons, so that the run ends at once.
		pr, pw := io.Pipe()
		go func(src io.Reader) { pw.CloseWithError(copyAll(pw, src)) }(r)
		stop := context.AfterFunc(ctx, func() { pr.CloseWithError(errInterrupted) })
		defer stop()
		r = pr
	}
	br := bufio.NewReaderSize(r, 64<<10)
	if !o.noProgress && size > progressThreshold && isTerminal(stderr) {
		desc := name
		if head, _ := br.Peek(4); len(head) == 4 && (head[0] == 0x1f && head[1] == 0x8b || bytes.Equal(head, []byte{0x28, 0xb5, 0x2f, 0xfd})) {
			desc += " (compressed bytes)"
		}
		bar := progressbar.NewOptions64(size, progressbar.OptionSetDescription(desc), progressbar.OptionSetWriter(stderr),
			progressbar.OptionShowBytes(true), progressbar.OptionShowTotalBytes(true), progressbar.OptionUseIECUnits(true),
			progressbar.OptionSetWidth(10), progressbar.OptionThrottle(65*time.Millisecond), progressbar.OptionShowCount(),
			progressbar.OptionOnCompletion(func() { fmt.Fprint(stderr, "\n") }), progressbar.OptionSpinnerType(14),
			progressbar.OptionFullWidth(), progressbar.OptionSetRenderBlankState(true))
		defer bar.Finish()
		r = io.TeeReader(br, bar)
	} else {
		r = br
	}
	cr, err := capture.NewReader(r, nil)
	if err != nil {
		if ctx.Err() != nil {
			return 0, last, nil
		}
		return 0, last, fmt.Errorf("%s: %w", name, err)
	}
	defer cr.Close()
	for ctx.Err() == nil {
		ts, link, data, err := cr.ReadPacket()
		if err == io.EOF {
			break
		}
		if err != nil {
			if ctx.Err() != nil {
				break // the input was closed by the interrupt
			}
			return n, last, fmt.Errorf("%s: %w", name, err)
		}
		n++
		last = ts
		eng.Packet(ts, link, data)
		o.status.packet()
	}
	return n, last, nil
}

var errInterrupted = errors.New("interrupted")

// saveInventory merges snap into the inventory saved in name (if there is
// one), writes the result back (through a temporary file, renamed) and
// says what changed.
func saveInventory(name string, snap fingerprint.Snapshot, stderr io.Writer) error {
	var old fingerprint.Snapshot
	if f, err := os.Open(name); err == nil {
		old, err = fingerprint.ReadSnapshot(f, 0, 0)
		f.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return err
	}
	merged := fingerprint.Merge(old, snap)
	counts := map[string]int{}
	for _, c := range fingerprint.Diff(old, merged) {
		counts[c.Kind]++
	}
	tmp := name + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	if _, err := merged.WriteTo(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, name); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "medscan: inventory %s: %d devices, %d new, %d changed\n", name, len(merged.Devices), counts["new"], counts["changed"])
	return nil
}

// cmpErr returns err, or an error saying msg when err is nil.
func cmpErr(err error, msg string) error {
	if err == nil {
		return errors.New(msg)
	}
	return err
}

// copyAll copies r to w and returns nil at the end of r.
func copyAll(w io.Writer, r io.Reader) error {
	_, err := io.Copy(w, r)
	return err
}

// output is the buffered standard output, shared by the reporter and the
// clock that flushes it on a live input.
type output struct {
	mu  sync.Mutex
	w   *bufio.Writer
	bus io.Writer     // when set, every line goes to the bus too
	rot *rotatingFile // -o: rotated between lines when due
}

// Write writes p, a whole line (or, for tables, a piece of one: tables are
// never rotated).
func (o *output) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.rot != nil && o.rot.rot != (rotation{}) && o.rot.due(int64(o.w.Buffered())) {
		if err := o.w.Flush(); err != nil {
			return 0, err
		}
		if err := o.rot.rotate(); err != nil {
			return 0, err
		}
	}
	if o.bus != nil {
		if _, err := o.bus.Write(p); err != nil {
			return 0, err
		}
	}
	return o.w.Write(p)
}

// Flush writes out what is buffered.
func (o *output) Flush() {
	o.mu.Lock()
	o.w.Flush()
	o.mu.Unlock()
}

// flushEvery flushes the output every d until the returned function is
// called.
func (o *output) flushEvery(d time.Duration) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(d)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				o.Flush()
			case <-done:
				return
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
