package detect

import (
	"cmp"
	"fmt"
	"net/netip"
	"slices"
	"time"

	"github.com/medtap/medtap/flow"
)

// A Rule is one kind of alert a [Detector] raises, with its defaults.
type Rule struct {
	ID        string   // "dicom.query-sweep": a family, a dot, words joined by hyphens
	Severity  Severity // the default severity
	Technique string   // the MITRE ATT&CK for ICS technique, "" when none fits
	Doc       string   // what it detects, one sentence
	// Params are the rule's tunable thresholds, with their defaults.
	Params []Param
	// Baseline says the rule alerts on departures from a learned baseline
	// (a new peer, a volume spike): without a baseline learned or loaded,
	// everything departs from it, so tools turn such rules off then.
	Baseline bool
}

// A Param is a tunable threshold of a [Rule].
type Param struct {
	Name    string  // lower-case words joined by hyphens ("min-ports")
	Default float64 // durations are in seconds
	Doc     string
}

// A Detector looks at events and raises alerts through its [Context]. It
// keeps bounded state, takes time from the events only (so that it is
// deterministic on a capture), and is used from one goroutine.
type Detector interface {
	// Name names the detector in baselines and errors ("dicom", "scan").
	Name() string
	// Rules lists the rules it raises; IDs are unique across an Engine.
	Rules() []Rule
	// Configure is called once, before any event, with the rules'
	// parameters as configured.
	Configure(p Params) error
	// Event looks at one event. Events and their Details are valid only
	// during the call.
	Event(c *Context, e *flow.Event)
}

// A Flusher is a [Detector] with state to report at the end of a capture
// ([Engine.Flush]): aggregates below a threshold, open associations.
type Flusher interface {
	Flush(c *Context)
}

// Params are the configured values of rule parameters.
type Params struct {
	rules map[string]*Rule
	cfg   map[string]RuleConfig
}

// Float returns parameter name of rule id: its configured value, or its
// default. It panics when the rule or parameter is not declared: that is a
// bug in the detector, not bad input (configurations are checked by
// [NewEngine]).
func (p Params) Float(id, name string) float64 {
	r := p.rules[id]
	if r == nil {
		panic("detect: Params.Float: no rule " + id)
	}
	for _, pa := range r.Params {
		if pa.Name == name {
			if v, ok := p.cfg[id].Params[name]; ok {
				return v
			}
			return pa.Default
		}
	}
	panic("detect: Params.Float: rule " + id + " has no parameter " + name)
}

// Int returns [Params.Float] as an int.
func (p Params) Int(id, name string) int { return int(p.Float(id, name)) }

// Duration returns [Params.Float], in seconds, as a duration.
func (p Params) Duration(id, name string) time.Duration {
	return time.Duration(p.Float(id, name) * float64(time.Second))
}

// Enabled reports whether rule id is on.
func (p Params) Enabled(id string) bool { return !p.cfg[id].Disabled && p.rules[id] != nil }

// Devices is what an Engine asks of an inventory to name the devices of an
// alert; fingerprint.Inventory implements it. Describe is called only when
// an alert is emitted.
type Devices interface {
	Describe(a netip.Addr) (name, class string, ok bool)
}

// An AlertSink receives the alerts an [Engine] emits. The Alert is valid
// only during the call.
type AlertSink interface {
	Alert(a *Alert)
}

// AlertFunc adapts a function to an [AlertSink].
type AlertFunc func(a *Alert)

// Alert calls f(a).
func (f AlertFunc) Alert(a *Alert) { f(a) }

// Stats counts what an [Engine] saw and did.
type Stats struct {
	Events     uint64
	Raised     uint64 // times a rule fired
	Emitted    uint64 // alerts given to the sink (a repeat counts once)
	Suppressed uint64 // firings folded into a later alert's Count
	// AlertKeys is the number of de-duplication entries held now (at most
	// MaxAlertKeys); KeysEvicted counts those dropped at MaxAlertKeys
	// (their pending counts emitted first).
	AlertKeys   uint64
	KeysEvicted uint64
	// ByRule counts firings per rule ID.
	ByRule map[string]uint64
}

// Engine runs detectors over events and emits de-duplicated alerts. It is a
// [flow.Sink]: put it behind a flow.Engine (after the inventory, when one
// is attached, so that devices are known when alerts name them). It is not
// safe for concurrent use.
type Engine struct {
	cfg       Config
	sink      AlertSink
	detectors []Detector
	byProto   map[string][]Detector
	all       []Detector // detectors that see every protocol
	rules     []Rule     // by rule index
	ruleIdx   map[string]int
	ruleOn    []bool
	ruleSev   []Severity
	sevSet    []bool // the configuration sets the rule's severity
	ctx       Context
	dedup     map[dedupKey]*dedupEntry
	oldest    *dedupEntry // the list of entries by the start of their window
	newest    *dedupEntry
	free      []*dedupEntry
	stats     Stats
	byRule    []uint64
	started   bool
	learnEnd  time.Time
	learned   bool // the learning period of Config.Learn is over
	learning  bool // explicit Learn
	scratch   []*dedupEntry
	npending  int
}

// A Subscriber is a [Detector] that sees only the events of some protocols
// (the [flow.Event.Protocol] names); others see every event.
type Subscriber interface {
	Protocols() []string
}

// NewEngine returns an Engine running detectors (nil selects [Default]) with
// cfg, emitting alerts to sink. It fails when cfg names a rule or parameter
// that no detector declares, or two detectors declare one rule.
func NewEngine(cfg Config, sink AlertSink, detectors []Detector) (*Engine, error) {
	cfg.defaults()
	if detectors == nil {
		detectors = Default()
	}
	e := &Engine{
		cfg:     cfg,
		sink:    sink,
		byProto: map[string][]Detector{},
		ruleIdx: map[string]int{},
		dedup:   map[dedupKey]*dedupEntry{},
	}
	e.ctx.eng = e
	rules := map[string]*Rule{}
	for _, d := range detectors {
		for _, r := range d.Rules() {
			if _, dup := rules[r.ID]; dup {
				return nil, fmt.Errorf("detect: rule %q declared twice (detector %s)", r.ID, d.Name())
			}
			rr := r
			rules[r.ID] = &rr
			e.ruleIdx[r.ID] = len(e.rules)
			e.rules = append(e.rules, r)
		}
	}
	for id, rc := range cfg.Rules {
		r := rules[id]
		if r == nil {
			return nil, fmt.Errorf("detect: configuration: no rule %q", id)
		}
	param:
		for name := range rc.Params {
			for _, p := range r.Params {
				if p.Name == name {
					continue param
				}
			}
			return nil, fmt.Errorf("detect: configuration: rule %q has no parameter %q", id, name)
		}
	}
	e.ruleOn = make([]bool, len(e.rules))
	e.ruleSev = make([]Severity, len(e.rules))
	e.sevSet = make([]bool, len(e.rules))
	e.byRule = make([]uint64, len(e.rules))
	for i, r := range e.rules {
		rc := cfg.Rules[r.ID]
		e.ruleOn[i] = !rc.Disabled
		e.ruleSev[i] = r.Severity
		if rc.Severity != nil {
			e.ruleSev[i] = *rc.Severity
			e.sevSet[i] = true
		}
	}
	p := Params{rules: rules, cfg: cfg.Rules}
	for _, d := range detectors {
		on := false
		for _, r := range d.Rules() {
			on = on || e.ruleOn[e.ruleIdx[r.ID]]
		}
		if !on {
			continue // every rule of it is off: it never runs
		}
		if err := d.Configure(p); err != nil {
			return nil, fmt.Errorf("detect: %s: %w", d.Name(), err)
		}
		e.detectors = append(e.detectors, d)
		if s, ok := d.(Subscriber); ok {
			for _, proto := range s.Protocols() {
				e.byProto[proto] = append(e.byProto[proto], d)
			}
		} else {
			e.all = append(e.all, d)
		}
	}
	return e, nil
}

// Detectors returns the detectors that run (those with a rule on).
func (e *Engine) Detectors() []Detector { return e.detectors }

// Rules returns every rule of the engine's detectors, with its defaults.
func (e *Engine) Rules() []Rule { return e.rules }

// Learn turns the explicit learning phase on or off: while it is on,
// baseline detectors learn what is normal and raise nothing (signature
// rules still fire). [Config.Learn] is the other way to learn: a period of
// packet time from the first event.
func (e *Engine) Learn(on bool) { e.learning = on }

// Learning reports whether baselines are learning at packet time t.
// The period of [Config.Learn] ends at the first event at or after its
// end, for good: an event whose time goes backwards after it (a flow's end,
// stamped with its last packet) does not learn again.
func (e *Engine) Learning(t time.Time) bool {
	if e.learning {
		return true
	}
	if e.cfg.Learn <= 0 || !e.started || e.learned {
		return false
	}
	if !t.Before(e.learnEnd) {
		e.learned = true
		return false
	}
	return true
}

// Event implements [flow.Sink].
func (e *Engine) Event(ev *flow.Event) {
	e.stats.Events++
	if !e.started {
		e.started = true
		e.learnEnd = ev.Time.Add(e.cfg.Learn)
	}
	c := &e.ctx
	c.now = ev.Time
	c.learning = e.Learning(ev.Time)
	for _, d := range e.byProto[ev.Protocol] {
		d.Event(c, ev)
	}
	for _, d := range e.all {
		d.Event(c, ev)
	}
	if e.npending > 0 {
		e.emitPending()
	}
}

// Flush lets detectors report what they hold ([Flusher]) and emits the
// counts of every de-duplicated alert not yet emitted, in the order of
// their first firing. Call it at the end of a capture; the engine may be
// used on after it.
func (e *Engine) Flush() {
	c := &e.ctx
	for _, d := range e.detectors {
		if f, ok := d.(Flusher); ok {
			f.Flush(c)
			e.emitPending()
		}
	}
	var pend []*dedupEntry
	for _, de := range e.dedup {
		if de.count > 0 {
			pend = append(pend, de)
		}
	}
	slices.SortFunc(pend, func(a, b *dedupEntry) int {
		if c := a.first.Compare(b.first); c != 0 {
			return c
		}
		// The key is unique: rule, severity and the two addresses.
		return cmp.Or(cmp.Compare(a.key.rule, b.key.rule), cmp.Compare(a.key.sev, b.key.sev),
			a.key.src.Compare(b.key.src), a.key.dst.Compare(b.key.dst))
	})
	for _, de := range pend {
		e.emitRepeat(de)
	}
}

// Stats returns the engine's counters.
func (e *Engine) Stats() Stats {
	s := e.stats
	s.AlertKeys = uint64(len(e.dedup))
	s.ByRule = map[string]uint64{}
	for i, n := range e.byRule {
		if n > 0 {
			s.ByRule[e.rules[i].ID] = n
		}
	}
	return s
}

// A Context is what a [Detector] sees of its [Engine] during an event.
type Context struct {
	eng      *Engine
	now      time.Time
	learning bool
}

// Now returns the packet time of the event being looked at.
func (c *Context) Now() time.Time { return c.now }

// Learning reports whether baselines are learning (see [Engine.Learn]):
// baseline detectors update their baseline and raise nothing then.
func (c *Context) Learning() bool { return c.learning }

// Alert starts an alert of rule id from src to dst (ports 0 when they do
// not matter; dst the zero AddrPort when there is none) about the event's
// flow key, with the rule's configured severity, and returns it for the
// detector to fill in (Summary, Evidence, and Time when it is not the
// current event's); the engine emits it when the detector returns. It
// returns nil when the rule is off or the alert is a repeat within the
// de-duplication window (it is then counted), so that a detector builds no
// text for an alert nobody will see:
//
//	if a := c.Alert("dicom.query-sweep", e.Key, e.Src, e.Dst); a != nil {
//		a.Summary = "..."
//	}
func (c *Context) Alert(id string, key flow.Key, src, dst netip.AddrPort) *Alert {
	return c.alert(id, -1, key, src, dst)
}

// AlertSeverity is [Context.Alert] at severity sev in place of the rule's
// (a default password makes a clear-text login high). Alerts of one rule
// at different severities are de-duplicated apart, so a severe one is never
// folded into the count of a milder one. A severity configured for the rule
// overrides sev.
func (c *Context) AlertSeverity(id string, sev Severity, key flow.Key, src, dst netip.AddrPort) *Alert {
	return c.alert(id, int(sev), key, src, dst)
}

// Enabled reports whether rule id is on, for a detector that would build
// something only for it.
func (c *Context) Enabled(id string) bool {
	i, ok := c.eng.ruleIdx[id]
	return ok && c.eng.ruleOn[i]
}

func (c *Context) alert(id string, sev int, key flow.Key, src, dst netip.AddrPort) *Alert {
	e := c.eng
	i, ok := e.ruleIdx[id]
	if !ok {
		panic("detect: Context.Alert: rule " + id + " is not declared by any detector")
	}
	if !e.ruleOn[i] {
		return nil
	}
	if sev < 0 || e.sevSet[i] {
		sev = int(e.ruleSev[i])
	}
	e.stats.Raised++
	e.byRule[i]++
	k := dedupKey{rule: i, sev: Severity(sev), src: src.Addr().Unmap(), dst: dst.Addr().Unmap()}
	if de := e.dedup[k]; de != nil {
		if c.now.Sub(de.windowStart) < e.cfg.Window {
			if de.count == 0 {
				de.first = c.now
			}
			de.count++
			de.last = c.now
			e.stats.Suppressed++
			return nil
		}
		// The window has passed: what it folded is emitted, a new one starts.
		if de.count > 0 {
			e.emitRepeat(de)
		}
		de.windowStart = c.now
		e.unlink(de)
		e.pushNewest(de)
		return e.pendingAlert(i, Severity(sev), de, key, src, dst)
	}
	if len(e.dedup) >= e.cfg.MaxAlertKeys {
		e.evictKey()
	}
	de := e.newEntry()
	de.windowStart = c.now
	de.key = k
	e.dedup[k] = de
	e.pushNewest(de)
	return e.pendingAlert(i, Severity(sev), de, key, src, dst)
}

type dedupKey struct {
	rule     int
	sev      Severity
	src, dst netip.Addr
}

type dedupEntry struct {
	alert       Alert // as first emitted in its window
	windowStart time.Time
	first, last time.Time // of the firings counted since
	count       int       // firings not yet emitted
	pending     bool      // alert is being filled by a detector
	key         dedupKey
	prev, next  *dedupEntry // in the engine's list, oldest window first
}

func (e *Engine) newEntry() *dedupEntry {
	if n := len(e.free); n > 0 {
		de := e.free[n-1]
		e.free = e.free[:n-1]
		*de = dedupEntry{alert: Alert{Evidence: de.alert.Evidence[:0]}}
		return de
	}
	return new(dedupEntry)
}

// evictKey drops the de-duplication entry whose window started first (of
// those not being filled), emitting what it counted.
func (e *Engine) evictKey() {
	old := e.oldest
	for old != nil && old.pending {
		old = old.next
	}
	if old == nil {
		return
	}
	if old.count > 0 {
		e.emitRepeat(old)
	}
	e.unlink(old)
	delete(e.dedup, old.key)
	e.free = append(e.free, old)
	e.stats.KeysEvicted++
}

func (e *Engine) pushNewest(de *dedupEntry) {
	de.prev, de.next = e.newest, nil
	if e.newest != nil {
		e.newest.next = de
	} else {
		e.oldest = de
	}
	e.newest = de
}

func (e *Engine) unlink(de *dedupEntry) {
	if de.prev != nil {
		de.prev.next = de.next
	} else {
		e.oldest = de.next
	}
	if de.next != nil {
		de.next.prev = de.prev
	} else {
		e.newest = de.prev
	}
	de.prev, de.next = nil, nil
}

func (e *Engine) pendingAlert(rule int, sev Severity, de *dedupEntry, key flow.Key, src, dst netip.AddrPort) *Alert {
	r := &e.rules[rule]
	a := &de.alert
	*a = Alert{
		ID:        r.ID,
		Severity:  sev,
		Time:      e.ctx.now,
		Key:       key,
		Src:       src,
		Dst:       dst,
		Technique: r.Technique,
		Count:     1,
		Evidence:  a.Evidence[:0],
	}
	de.pending = true
	if e.npending < len(e.scratch) {
		e.scratch[e.npending] = de
	} else {
		e.scratch = append(e.scratch, de)
	}
	e.npending++
	return a
}

func (e *Engine) emitPending() {
	// The alert is its entry's: the sink sees it, and repeats are copies
	// of it.
	for i := 0; i < e.npending; i++ {
		de := e.scratch[i]
		e.scratch[i] = nil
		de.pending = false
		e.describe(&de.alert)
		e.stats.Emitted++
		if e.sink != nil {
			e.sink.Alert(&de.alert)
		}
	}
	e.npending = 0
}

func (e *Engine) emitRepeat(de *dedupEntry) {
	r := de.alert
	r.Time, r.Last, r.Count = de.first, de.last, de.count
	de.count = 0
	e.stats.Emitted++
	if e.sink != nil {
		e.sink.Alert(&r)
	}
}

func (e *Engine) describe(a *Alert) {
	if e.cfg.Devices == nil {
		return
	}
	if a.Src.IsValid() {
		if n, c, ok := e.cfg.Devices.Describe(a.Src.Addr()); ok {
			a.SrcDevice = Device{Name: n, Class: c}
		}
	}
	if a.Dst.IsValid() {
		if n, c, ok := e.cfg.Devices.Describe(a.Dst.Addr()); ok {
			a.DstDevice = Device{Name: n, Class: c}
		}
	}
}
