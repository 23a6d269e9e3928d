package main

import (
	"context"
	"time"

	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/flow/shard"
)

// pipeline is what medscan feeds packets to: one flow engine (-workers 1)
// or a shard.Runner of several, whose events reach the same sink on one
// goroutine in the order of the packets that caused them, so that the
// inventory, the detectors and the reporters see what one engine gives.
type pipeline interface {
	Packet(ts time.Time, link flow.LinkType, data []byte) error
	// Flush ends every flow and returns when their events reached the
	// sink.
	Flush()
	// Stats returns the counters, as of the last Flush.
	Stats() flow.Stats
	// Close stops the workers, if any.
	Close()
}

// newPipeline returns one engine for workers ≤ 1, else a runner of that
// many engines, started: a capture is read once and its packets are
// spread over the engines by their pair of addresses. drop makes a
// runner drop packets when a worker falls behind (for live captures,
// which must not stall); files wait instead, so nothing is lost. ctx ends
// the workers' processing of what is queued (an interrupt).
func newPipeline(ctx context.Context, workers int, drop bool, cfg flow.Config, sink flow.Sink) (pipeline, error) {
	if workers <= 1 {
		e, err := flow.NewEngine(cfg, sink)
		if err != nil {
			return nil, err
		}
		return enginePipeline{e}, nil
	}
	r, err := shard.New(shard.Config{Workers: workers, Engine: cfg, Sink: sink, Drop: drop})
	if err != nil {
		return nil, err
	}
	r.Start(ctx)
	return &runnerPipeline{r}, nil
}

type enginePipeline struct{ *flow.Engine }

func (enginePipeline) Close() {}

type runnerPipeline struct{ r *shard.Runner }

func (p *runnerPipeline) Packet(ts time.Time, link flow.LinkType, data []byte) error {
	return p.r.Packet(ts, link, data)
}

func (p *runnerPipeline) Flush() { p.r.Flush() }

func (p *runnerPipeline) Stats() flow.Stats { return p.r.Stats().Stats }

func (p *runnerPipeline) Close() { p.r.Close(context.Background()) }
