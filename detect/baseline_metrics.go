package detect

import (
	"fmt"
	"net/netip"
	"strconv"

	"github.com/medtap/medtap/flow"
)

// blMetric is one quantity of a device per interval (bytes, DIMSE requests,
// associations, HL7 messages): what was learned of it, an exponentially
// weighted mean and the peak of the intervals it was active in, and the
// current interval.
type blMetric struct {
	ewma, peak float64 // learned
	n          uint32  // learned intervals
	learnIv    bool    // the current interval began while learning
	fired      bool    // raised in the current interval
	iv         int64   // the current interval (Unix ns / interval)
	cur        float64 // its value so far
}

// blAlpha weights a new interval in the learned mean.
const blAlpha = 0.125

// The metrics of a device.
const (
	mBytes = iota
	mOps
	mAssocs
	mMsgs
)

// fold adds the current interval, when it was learned, to the baseline.
func (m *blMetric) fold() {
	if !m.learnIv || m.cur <= 0 {
		return
	}
	if m.n == 0 {
		m.ewma = m.cur
	} else {
		m.ewma += blAlpha * (m.cur - m.ewma)
	}
	m.peak = max(m.peak, m.cur)
	m.n++
	m.learnIv = false
}

// add counts v in interval iv (an earlier interval, from an event whose
// time is behind, counts in the current one) and reports whether the
// current interval, when it is not learned, has just risen above
// threshold: min, factor times the learned mean, and the learned peak.
func (m *blMetric) add(iv int64, v float64, learning bool, factor, min float64) bool {
	if iv > m.iv {
		m.fold()
		m.iv, m.cur, m.learnIv, m.fired = iv, 0, learning, false
	}
	m.cur += v
	if m.learnIv || m.fired || m.cur <= min || m.cur <= factor*m.ewma || m.cur <= m.peak {
		return false
	}
	m.fired = true
	return true
}

// count adds v to metric which of the device at a, and raises
// baseline.volume or baseline.rate when the interval rises past its
// threshold.
func (d *baselineDetector) count(c *Context, e *flow.Event, a netip.Addr, which int, v float64) {
	if !d.isDevice(a) {
		return
	}
	dv := d.device(addr16Of(a))
	if dv == nil {
		return
	}
	mp, rule, on, min := &d.vol, ruleVolume, d.on[bVolume], d.vol.minA
	var m *blMetric
	switch which {
	case mBytes:
		m = &dv.bytes
	case mOps:
		m, min = &dv.ops, d.vol.minB
	case mAssocs:
		m, mp, rule, on, min = &dv.assocs, &d.rate, ruleRate, d.on[bRate], d.rate.minA
	default:
		m, mp, rule, on, min = &dv.msgs, &d.rate, ruleRate, d.on[bRate], d.rate.minB
	}
	now := c.Now().UnixNano()
	if !m.add(now/mp.interval, v, d.learning, mp.factor, min) || !on {
		return
	}
	al := c.Alert(rule, flow.Key{}, netip.AddrPortFrom(a, 0), netip.AddrPort{})
	if al == nil {
		return
	}
	what := [...]string{"bytes", "DIMSE requests", "associations", "HL7 messages"}[which]
	secs := strconv.FormatFloat(float64(mp.interval)/1e9, 'g', -1, 64)
	al.Summary = fmt.Sprintf("%s: %s %s in %s s, above %s times its learned mean (%.4g) and its learned peak (%.4g)",
		a, blCount(m.cur), what, secs, strconv.FormatFloat(mp.factor, 'g', -1, 64), m.ewma, m.peak)
	al.Evidence = append(al.Evidence,
		Field{"metric", what},
		Field{"value", blCount(m.cur)},
		Field{"interval_seconds", secs},
		Field{"learned_mean", strconv.FormatFloat(m.ewma, 'g', 6, 64)},
		Field{"learned_peak", strconv.FormatFloat(m.peak, 'g', 6, 64)},
		Field{"learned_intervals", strconv.FormatUint(uint64(m.n), 10)},
	)
}

func blCount(v float64) string { return strconv.FormatFloat(v, 'f', 0, 64) }
