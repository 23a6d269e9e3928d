package flow

import "time"

// Advance moves the engine's packet clock to ts, when ts is later than
// the last packet's time, and ends the flows that have been idle for
// longer than their timeout then (reason "idle", at time ts), as a packet
// at ts would, without one. Nothing else changes: no packet is counted.
//
// A runner that spreads one capture over several engines (package
// [github.com/medtap/medtap/flow/shard]) advances every engine with the
// time of each packet it gives another, so that every engine's clock
// follows the whole capture and idle flows end when, and with the time at
// which, a single engine would end them.
func (e *Engine) Advance(ts time.Time) {
	if ns := ts.UnixNano(); ns > e.nowNs {
		e.now, e.nowNs = ts, ns
		e.expire()
	}
}
