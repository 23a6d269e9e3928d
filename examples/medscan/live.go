package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/medtap/medtap/capture"
)

// liveOptions are the flags of a live capture.
type liveOptions struct {
	iface   string
	bpf     string
	promisc bool
}

func (o *liveOptions) register(fs *flag.FlagSet) {
	fs.StringVar(&o.iface, "i", "", "capture live from the network `interface` (Linux; needs root or CAP_NET_RAW) until SIGINT or SIGTERM, instead of reading files")
	fs.StringVar(&o.bpf, "bpf", "", "with -i, capture only packets matching the pcap-filter `expression` (compiled with tcpdump)")
	fs.BoolVar(&o.promisc, "promisc", true, "with -i, put the interface into promiscuous mode (what a mirror port or tap needs)")
}

// check reports a usage error in the flags, given the file names.
func (o *liveOptions) check(inputs []string) error {
	switch {
	case o.iface != "" && len(inputs) > 0:
		return fmt.Errorf("-i captures from an interface: no FILE with it (got %q)", inputs[0])
	case o.iface == "" && o.bpf != "":
		return fmt.Errorf("-bpf filters a live capture: it needs -i")
	}
	return nil
}

// scanLive captures from the interface through eng until ctx is done (an
// interrupt), reads what the kernel had already captured, then ends the
// flows. It says on stderr how many packets the kernel dropped. It returns
// the packets read and the time of the last one.
func scanLive(ctx context.Context, eng pipeline, o liveOptions, status *statusLine, stderr io.Writer) (n int64, last time.Time, err error) {
	defer eng.Flush()
	l, err := capture.OpenLive(ctx, o.iface, &capture.LiveOptions{Filter: o.bpf, Promiscuous: o.promisc})
	if err != nil {
		return 0, last, err
	}
	defer l.Close()
	if status != nil {
		status.drops = func() uint64 { return l.Stats().Drops }
	}
	for {
		ts, link, data, rerr := l.ReadPacket()
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			err = rerr
			break
		}
		n++
		last = ts
		eng.Packet(ts, link, data)
		status.packet()
	}
	st := l.Stats()
	fmt.Fprintf(stderr, "medscan: %s: %d packets, %d dropped by the kernel\n", o.iface, st.Packets, st.Drops)
	return n, last, err
}
