package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/medtap/medtap/capture"
	"github.com/medtap/medtap/flow"
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
func scanLive(ctx context.Context, eng pipeline, o liveOptions, status *statusLine, stderr io.Writer) (n int64, last time.Time, ks capture.LiveStats, err error) {
	defer eng.Flush()
	l, err := capture.OpenLive(ctx, o.iface, &capture.LiveOptions{Filter: o.bpf, Promiscuous: o.promisc})
	if err != nil {
		return 0, last, ks, err
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
	ks = l.Stats()
	fmt.Fprintf(stderr, "medscan: %s: %d packets, %d dropped by the kernel\n", o.iface, ks.Packets, ks.Drops)
	return n, last, ks, err
}

// fanoutPipeline is the engines of a live capture with -workers N: one per
// socket of a PACKET_FANOUT group, the kernel spreading packets by flow
// hash (both directions of a flow, and the fragments of a datagram, reach
// one socket), each engine on a goroutine of its own, their events reaching
// the sink one at a time as they happen: each flow's in packet order, and
// across flows in the order the engines get to them, which follows packet
// time to within the ring's block timeout (10 ms) and the scheduling of the
// goroutines. Its Stats are those of the last Flush.
type fanoutPipeline struct {
	engines []*flow.Engine
	mu      sync.Mutex // held while an engine's events reach the sink
	stats   flow.Stats
	packets atomic.Uint64
	// flows and ended count the flows' start and end events (under mu),
	// for the status line while the engines run.
	flows, ended uint64
}

func newFanout(n int, cfg flow.Config, sink flow.Sink) (*fanoutPipeline, error) {
	p := &fanoutPipeline{}
	locked := flow.SinkFunc(func(e *flow.Event) {
		p.mu.Lock()
		if e.Protocol == flow.ProtocolFlow {
			switch e.Kind {
			case flow.KindStart:
				p.flows++
			case flow.KindEnd:
				p.ended++
			}
		}
		sink.Event(e)
		p.mu.Unlock()
	})
	for range n {
		e, err := flow.NewEngine(cfg, locked)
		if err != nil {
			return nil, err
		}
		p.engines = append(p.engines, e)
	}
	return p, nil
}

// Packet is not used: each engine reads its own socket.
func (p *fanoutPipeline) Packet(time.Time, flow.LinkType, []byte) error {
	return errors.New("fanout pipeline: packets come from the sockets")
}

// Flush ends every engine's flows; the workers must have stopped.
func (p *fanoutPipeline) Flush() {
	var st flow.Stats
	for _, e := range p.engines {
		e.Flush()
		s := e.Stats()
		st.Add(&s)
	}
	p.stats = st
}

func (p *fanoutPipeline) Stats() flow.Stats { return p.stats }
func (p *fanoutPipeline) Close()            {}

// scanFanout captures from the interface with one fanout socket per
// engine of p until ctx is done, then ends the flows.
func scanFanout(ctx context.Context, p *fanoutPipeline, o liveOptions, status *statusLine, stderr io.Writer) (n int64, last time.Time, ks capture.LiveStats, err error) {
	group := uint16(os.Getpid()&0x7fff) | 0x8000 // one group per process
	socks := make([]*capture.Live, len(p.engines))
	for i := range socks {
		l, err := capture.OpenLive(ctx, o.iface, &capture.LiveOptions{Filter: o.bpf, Promiscuous: o.promisc, FanoutGroup: group})
		if err != nil {
			for _, s := range socks[:i] {
				s.Close()
			}
			return 0, last, ks, err
		}
		socks[i] = l
	}
	defer func() {
		for _, s := range socks {
			s.Close()
		}
	}()
	if status != nil {
		status.eng = nil // the engines are busy on their goroutines
		status.packets = p.packets.Load
		status.flows = func() (all, active uint64) { return p.flows, p.flows - p.ended } // called under p.mu
		status.drops = func() uint64 {
			var d uint64
			for _, s := range socks {
				d += s.Stats().Drops
			}
			return d
		}
	}
	var (
		wg    sync.WaitGroup
		errMu sync.Mutex
		lastT = make([]time.Time, len(socks))
	)
	for i, l := range socks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			e := p.engines[i]
			for {
				ts, link, data, rerr := l.ReadPacket()
				if rerr != nil {
					if rerr != io.EOF {
						errMu.Lock()
						err = cmp.Or(err, rerr)
						errMu.Unlock()
					}
					return
				}
				lastT[i] = ts
				e.Packet(ts, link, data)
				p.packets.Add(1)
				if status != nil {
					p.mu.Lock()
					status.packet()
					p.mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	p.Flush()
	for i, s := range socks {
		st := s.Stats()
		ks.Packets += st.Packets
		ks.Received += st.Received
		ks.Drops += st.Drops
		ks.Freezes += st.Freezes
		if lastT[i].After(last) {
			last = lastT[i]
		}
	}
	fmt.Fprintf(stderr, "medscan: %s: %d packets, %d dropped by the kernel (%d workers)\n", o.iface, ks.Packets, ks.Drops, len(socks))
	return int64(p.packets.Load()), last, ks, err
}
