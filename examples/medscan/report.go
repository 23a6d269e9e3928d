package main

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/medtap/medtap/capture"
	"github.com/medtap/medtap/fingerprint"
	"github.com/medtap/medtap/flow"
)

// reporter receives the engine's events and prints the results. finish
// gets the final counters and the time of the last packet read.
type reporter interface {
	flow.Sink
	// setKernel gives a live capture's kernel counters to the summary.
	setKernel(ks *capture.LiveStats)
	finish(st *flow.Stats, lastPacket time.Time)
	inventory() *fingerprint.Inventory
}

func (r *jsonReporter) inventory() *fingerprint.Inventory  { return r.inv }
func (r *jsonReporter) setKernel(ks *capture.LiveStats)    { r.kernel = ks }
func (r *tableReporter) setKernel(ks *capture.LiveStats)   { r.kernel = ks }
func (r *tableReporter) inventory() *fingerprint.Inventory { return r.inv }

// jsonReporter writes one JSON object per event as it happens, flushing
// the output once a second of packet time has passed and after every error
// event.
type jsonReporter struct {
	kernel *capture.LiveStats
	w      *output
	alerts *jsonAlerts
	buf    []byte
	inv    *fingerprint.Inventory
	// sharedInv says another reporter feeds inv: this one only writes.
	sharedInv bool
	last      time.Time
	flushed   time.Time // packet time of the last flush
}

func newJSONReporter(w *output) *jsonReporter {
	return &jsonReporter{w: w, inv: fingerprint.NewInventory(fingerprint.Config{})}
}

func (r *jsonReporter) Event(e *flow.Event) {
	if !r.sharedInv {
		r.inv.Event(e)
	}
	if e.Time.After(r.last) {
		r.last = e.Time
	}
	r.buf = append(flow.AppendEventJSON(r.buf[:0], e), '\n')
	r.w.Write(r.buf)
	if e.Kind == flow.KindError || e.Time.Sub(r.flushed) >= flushEvery {
		r.w.Flush()
		r.flushed = e.Time
	}
}

func (r *jsonReporter) finish(st *flow.Stats, lastPacket time.Time) {
	if lastPacket.After(r.last) {
		r.last = lastPacket
	}
	for _, d := range r.inv.Devices() {
		r.buf = append(d.AppendJSON(r.buf[:0]), '\n')
		r.w.Write(r.buf)
	}
	b := r.buf[:0]
	b = append(b, `{"type":"summary","ts":`...)
	b = flow.AppendTime(b, r.last)
	for name, v := range st.All() {
		b = flow.AppendInt(b, name, int64(v))
	}
	if r.alerts != nil {
		b = flow.AppendInt(b, "alerts", int64(r.alerts.count))
	}
	if k := r.kernel; k != nil {
		b = flow.AppendInt(b, "kernel_received", int64(k.Received))
		b = flow.AppendInt(b, "kernel_drops", int64(k.Drops))
		b = flow.AppendInt(b, "kernel_freezes", int64(k.Freezes))
	}
	if len(st.ProtocolErrors) > 0 {
		b = append(b, `,"decode_errors_by_proto":{`...)
		for i, p := range slices.Sorted(maps.Keys(st.ProtocolErrors)) {
			if i > 0 {
				b = append(b, ',')
			}
			b = flow.AppendQuoted(b, p)
			b = append(b, ':')
			b = strconv.AppendUint(b, st.ProtocolErrors[p], 10)
		}
		b = append(b, '}')
	}
	b = append(b, '}', '\n')
	r.w.Write(b)
}

// tableReporter prints tables for people at the end.
type tableReporter struct {
	kernel *capture.LiveStats
	w      *output
	alerts *alertTable
	inv    *fingerprint.Inventory
	events map[[2]string]int // protocol, kind
	protos map[string]*protoStat
	first  time.Time
	last   time.Time
	errs   []string
}

type protoStat struct {
	flows int
	bytes uint64
}

func newTableReporter(w *output) *tableReporter {
	return &tableReporter{w: w, inv: fingerprint.NewInventory(fingerprint.Config{}), events: map[[2]string]int{}, protos: map[string]*protoStat{}}
}

const maxErrorLines = 20

func (r *tableReporter) Event(e *flow.Event) {
	r.inv.Event(e)
	if r.first.IsZero() || e.Time.Before(r.first) {
		r.first = e.Time
	}
	if e.Time.After(r.last) {
		r.last = e.Time
	}
	r.events[[2]string{e.Protocol, string(e.Kind)}]++
	if e.Protocol == flow.ProtocolFlow && e.Kind == flow.KindEnd {
		if fi, ok := e.Detail.(*flow.FlowInfo); ok {
			app := cmp.Or(fi.Protocol, "unidentified/"+fi.Transport.String())
			ps := r.protos[app]
			if ps == nil {
				ps = &protoStat{}
				r.protos[app] = ps
			}
			ps.flows++
			ps.bytes += fi.Bytes[0] + fi.Bytes[1]
		}
	}
	if e.Kind == flow.KindError && len(r.errs) < maxErrorLines {
		msg := ""
		if d, ok := e.Detail.(*flow.DecodeErrorDetail); ok && d.Err != nil {
			msg = d.Err.Error()
			if d.Offset >= 0 {
				msg += fmt.Sprintf(" (stream offset %d)", d.Offset)
			}
		}
		r.errs = append(r.errs, fmt.Sprintf("%s %s %s -> %s: %s", e.Time.UTC().Format(time.RFC3339), e.Protocol, e.Src, e.Dst, msg))
	}
}

func (r *tableReporter) finish(st *flow.Stats, lastPacket time.Time) {
	w := r.w
	fmt.Fprintf(w, "medscan: %d packets, %s, %d flows, %d devices", st.Packets, human(st.Bytes), st.Flows, r.inv.Len())
	if !r.first.IsZero() {
		fmt.Fprintf(w, ", %s to %s", r.first.UTC().Format(time.RFC3339), r.last.UTC().Format(time.RFC3339))
	}
	fmt.Fprintln(w)

	fmt.Fprintln(w, "\nDEVICES")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ADDRESS\tCLASS\tVENDOR\tOS\tNAMES\tSERVICES\tPROTOCOLS\tPEERS\tFLOWS IN/OUT\tSENT\tRECEIVED")
	for _, d := range r.inv.Devices() {
		os, names := osAndNames(d.Names)
		if os == "" {
			os = d.OS
		}
		vendor := strings.TrimSpace(d.Vendor + " " + d.Product)
		addr := d.Addr.String()
		if len(d.Addrs) > 1 {
			addr += fmt.Sprintf(" +%d", len(d.Addrs)-1) // the device's other addresses
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%d/%d\t%s\t%s\n", addr, orDash(d.Class), orDash(vendor), orDash(os), orDash(names), orDash(strings.Join(d.Services, " ")),
			orDash(strings.Join(d.Protocols, " ")), d.Peers, d.FlowsIn, d.FlowsOut, human(d.BytesSent), human(d.BytesReceived))
	}
	tw.Flush()

	if r.alerts != nil {
		r.alerts.write(w)
	}

	fmt.Fprintln(w, "\nPROTOCOLS")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "PROTOCOL\tFLOWS\tBYTES")
	for _, name := range slices.Sorted(maps.Keys(r.protos)) {
		ps := r.protos[name]
		fmt.Fprintf(tw, "%s\t%d\t%s\n", name, ps.flows, human(ps.bytes))
	}
	tw.Flush()

	fmt.Fprintln(w, "\nEVENTS")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "PROTOCOL\tKIND\tCOUNT")
	evs := make([][2]string, 0, len(r.events))
	for k := range r.events {
		evs = append(evs, k)
	}
	slices.SortFunc(evs, func(a, b [2]string) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) })
	for _, k := range evs {
		fmt.Fprintf(tw, "%s\t%s\t%d\n", k[0], k[1], r.events[k])
	}
	tw.Flush()

	if len(r.errs) > 0 {
		fmt.Fprintln(w, "\nDECODE ERRORS (first", maxErrorLines, "at most)")
		for _, e := range r.errs {
			fmt.Fprintln(w, "  "+e)
		}
	}

	fmt.Fprintln(w, "\nCOUNTERS (non-zero)")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for name, v := range st.All() {
		if v != 0 {
			fmt.Fprintf(tw, "%s\t%d\n", name, v)
		}
	}
	if k := r.kernel; k != nil { // shown when 0 too: no drop is worth knowing
		fmt.Fprintf(tw, "kernel_received\t%d\nkernel_drops\t%d\nkernel_freezes\t%d\n", k.Received, k.Drops, k.Freezes)
	}
	tw.Flush()
}

func orDash(s string) string { return cmp.Or(s, "-") }

// osAndNames splits a device's identities into the operating systems it
// reported ("os:..." names, shown without the prefix, at most 60
// characters each) and the other names.
func osAndNames(all []string) (os, names string) {
	var o, n []string
	for _, v := range all {
		if s, ok := strings.CutPrefix(v, "os:"); ok {
			if r := []rune(s); len(r) > 60 {
				s = string(r[:59]) + "…"
			}
			o = append(o, s)
		} else {
			n = append(n, v)
		}
	}
	return strings.Join(o, "; "), strings.Join(n, " ")
}

// human writes a byte count in binary units, as the progress bar does.
func human(n uint64) string {
	switch {
	case n >= 10<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 10<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 10<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
