package detect

import (
	"bytes"
	"encoding/json"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/medtap/medtap/dicom"
	"github.com/medtap/medtap/dicom/ul"
	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/flow/dicomflow"
	"github.com/medtap/medtap/flow/httpflow"
)

func init() { register(func() Detector { return newDICOMDetector() }) }

// The rules of the DICOM detector.
const (
	ruleAEBruteforce = "dicom.ae-bruteforce"
	ruleAssocReject  = "dicom.association-rejected"
	ruleQuerySweep   = "dicom.query-sweep"
	ruleMoveUnknown  = "dicom.move-unknown-destination"
	ruleExecutable   = "dicom.executable-content"
	ruleAnyAE        = "dicom.any-ae-accepted"
	ruleMalformed    = "dicom.malformed"
)

// Bounds of the DICOM detector's state.
const (
	dicomMaxFlows = 8192 // associations followed at once
	dicomMaxPairs = 4096 // (requestor, acceptor) pairs with AE title counts
	dicomMaxAEs   = 4096 // AE titles seen as the peers of accepted associations
	// aeSetCap is how many distinct AE titles a pair remembers: the
	// thresholds on distinct titles are at most this.
	aeSetCap = 8
)

// dicomDetector raises the rules of the DICOM upper layer and of DICOM
// objects: AE title guessing, rejected associations, patient sweeps,
// retrieves to unknown AEs, executables in DICOM files, SCPs that accept
// any AE title and malformed PDUs. It follows each association (by flow)
// from its request, so that a rejection or a response is told with the AE
// titles it answers.
type dicomDetector struct {
	// Parameters.
	bruteMin, bruteTitles int
	bruteWindow           time.Duration
	bruteFraction         float64
	sweepPending          int
	sweepWildcards        int
	sweepWindow           time.Duration
	anyTitles             int
	anyWindow             time.Duration

	flows *Table[flow.Key, dicomAssoc]
	pairs *Table[dicomPair, dicomPairState]
	known *Table[aeTitle, struct{}]
	// baselined says the known AE titles are a baseline (learned in a
	// learning phase or loaded), not only what this run saw so far.
	baselined bool
}

// aeTitle is an AE title without padding, NUL-padded to its 16 bytes.
type aeTitle [16]byte

func makeAE(b []byte) (a aeTitle) {
	copy(a[:], b)
	return a
}

func (a *aeTitle) String() string {
	n := bytes.IndexByte(a[:], 0)
	if n < 0 {
		n = len(a)
	}
	return string(a[:n])
}

// aeSet is a small set of distinct AE titles; it keeps the first aeSetCap.
type aeSet struct {
	n int
	t [aeSetCap]aeTitle
}

func (s *aeSet) add(a aeTitle) {
	for i := 0; i < s.n; i++ {
		if s.t[i] == a {
			return
		}
	}
	if s.n < aeSetCap {
		s.t[s.n] = a
		s.n++
	}
}

func (s *aeSet) String() string {
	var b []byte
	for i := 0; i < s.n; i++ {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, s.t[i].String()...)
	}
	return string(b)
}

// The states of an association.
const (
	assocRequested uint8 = iota + 1
	assocAccepted
	assocRejected
	assocAborted
)

// dicomAssoc is what the detector keeps of one association.
type dicomAssoc struct {
	calling, called     aeTitle
	requestor, acceptor netip.AddrPort
	state               uint8
	// The last C-MOVE request and whether its destination was unknown.
	moveID   uint16
	moveDest aeTitle
	moveSet  bool
	// moveUnknown: the destination was not a known AE title at the request.
	moveUnknown bool
	// The last C-FIND request of a query/retrieve model: its pending
	// responses so far, and whether they raised the sweep rule.
	findID      uint16
	findSet     bool
	findPending int
	findFired   bool
}

// dicomPair is a requestor address and an acceptor (address and port).
type dicomPair struct {
	src netip.Addr
	dst netip.AddrPort
}

// dicomPairState counts the associations of one pair within windows.
type dicomPairState struct {
	// AE title guessing: associations requested since bruteStart, those
	// refused, and the titles they used.
	bruteStart            time.Time
	requests, refused     int
	reqCalling, reqCalled aeSet
	// Accepting any AE title: accepted associations since anyStart and
	// their titles.
	anyStart              time.Time
	accepted              int
	accCalling, accCalled aeSet
	// Patient enumeration: C-FINDs with a wildcard in a patient key
	// since wildStart.
	wildStart time.Time
	wildcards int
}

func newDICOMDetector() *dicomDetector { return &dicomDetector{} }

func (*dicomDetector) Name() string { return "dicom" }

// Protocols implements [Subscriber]: DICOM, HTTP for DICOM files uploaded
// over it, and the ends of flows (an association request never answered).
func (*dicomDetector) Protocols() []string {
	return []string{dicomflow.Name, httpflow.Name, flow.ProtocolFlow}
}

func (*dicomDetector) Rules() []Rule {
	return []Rule{
		{
			ID: ruleAEBruteforce, Severity: High, Technique: "T0859 Valid Accounts",
			Doc: "AE title guessing: one source requests at least min-associations associations of one SCP within window seconds, " +
				"under at least min-ae-titles distinct called or calling AE titles, and at least min-refused-fraction of them are " +
				"refused (A-ASSOCIATE-RJ, an A-ABORT from the SCP before accepting, or the connection closed unanswered); " +
				"nmap's dicom-brute does this",
			Params: []Param{
				{Name: "min-associations", Default: 5, Doc: "associations requested in the window"},
				{Name: "min-ae-titles", Default: 3, Doc: "distinct called or calling AE titles among them (at most 8)"},
				{Name: "window", Default: 300, Doc: "seconds over which associations are counted"},
				{Name: "min-refused-fraction", Default: 0.5, Doc: "fraction of the requests refused"},
			},
		},
		{
			ID: ruleAssocReject, Severity: Low,
			Doc: "an SCP rejected an association (A-ASSOCIATE-RJ); evidence has the result, source and reason and the AE titles; " +
				"repeats between the same two hosts are counted in one alert",
		},
		{
			ID: ruleQuerySweep, Severity: High, Technique: "T0811 Data from Information Repositories",
			Doc: "a patient sweep: a C-FIND, C-GET or C-MOVE of a query/retrieve information model that matches every patient " +
				"(at the PATIENT level, or with a patient key such as Patient's Name or Patient ID, and no key that narrows the " +
				"match: every key empty or only '*'), a C-FIND answered by at least min-pending matches, or at least " +
				"min-wildcard-queries C-FINDs from one source to one SCP within window seconds with a wildcard ('*' or '?') " +
				"in a patient key (names enumerated by prefix)",
			Params: []Param{
				{Name: "min-pending", Default: 100, Doc: "pending C-FIND responses to one query"},
				{Name: "min-wildcard-queries", Default: 20, Doc: "C-FINDs with a wildcard in a patient key in the window"},
				{Name: "window", Default: 300, Doc: "seconds over which wildcard queries are counted"},
			},
		},
		{
			ID: ruleMoveUnknown, Severity: High, Technique: "T0882 Theft of Operational Information",
			Doc: "a C-MOVE to a destination AE title never seen as the calling or called AE of an accepted association " +
				"(high once the known titles are a baseline, learned or loaded; low before, when every title is new), or one " +
				"the SCP refused: status 0xA801 (move destination unknown), or another failure with no sub-operation completed " +
				"for a destination never seen (always high)",
		},
		{
			ID: ruleExecutable, Severity: Critical, Technique: "T0867 Lateral Tool Transfer",
			Doc: "an executable header (PE, ELF, Mach-O) in the preamble of a DICOM Part 10 file uploaded over HTTP or sent in a " +
				"C-STORE, or at the start of a binary (OB, OW, UN) or private element of a stored object (CVE-2019-11687)",
		},
		{
			ID: ruleAnyAE, Severity: Medium, Technique: "T0886 Remote Services",
			Doc: "an SCP that accepts any AE title: medium when it accepts, from one source within window seconds, associations " +
				"under at least min-ae-titles distinct calling AE titles or distinct called AE titles; low when it accepts a " +
				"toolkit's default title (called ANY-SCP, calling ECHOSCU, FINDSCU, STORESCU, MOVESCU, GETSCU or PYNETDICOM), " +
				"which no configured peer uses",
			Params: []Param{
				{Name: "min-ae-titles", Default: 3, Doc: "distinct calling or called AE titles accepted from one source (at most 8)"},
				{Name: "window", Default: 600, Doc: "seconds over which accepted titles are counted"},
			},
		},
		{
			ID: ruleMalformed, Severity: Low,
			Doc: "malformed DICOM: PDUs or command sets the decoder could not read, and A-ABORTs by which a peer reports a " +
				"protocol error (unrecognized or unexpected PDU or parameter, invalid parameter value); repeats are counted",
		},
	}
}

func (d *dicomDetector) Configure(p Params) error {
	d.bruteMin = p.Int(ruleAEBruteforce, "min-associations")
	d.bruteTitles = min(max(p.Int(ruleAEBruteforce, "min-ae-titles"), 1), aeSetCap)
	d.bruteWindow = p.Duration(ruleAEBruteforce, "window")
	d.bruteFraction = p.Float(ruleAEBruteforce, "min-refused-fraction")
	d.sweepPending = max(p.Int(ruleQuerySweep, "min-pending"), 1)
	d.sweepWildcards = max(p.Int(ruleQuerySweep, "min-wildcard-queries"), 1)
	d.sweepWindow = p.Duration(ruleQuerySweep, "window")
	d.anyTitles = min(max(p.Int(ruleAnyAE, "min-ae-titles"), 2), aeSetCap)
	d.anyWindow = p.Duration(ruleAnyAE, "window")
	d.flows = NewTable[flow.Key, dicomAssoc](dicomMaxFlows)
	d.pairs = NewTable[dicomPair, dicomPairState](dicomMaxPairs)
	if d.known == nil { // a baseline may have been loaded
		d.known = NewTable[aeTitle, struct{}](dicomMaxAEs)
	}
	return nil
}

func (d *dicomDetector) Event(c *Context, e *flow.Event) {
	if c.Learning() {
		d.baselined = true
	}
	switch e.Kind {
	case dicomflow.KindDIMSE:
		if m, ok := e.Detail.(*dicomflow.DIMSE); ok && m.Message != nil {
			d.dimse(c, e, m)
		}
	case dicomflow.KindAssociateRQ:
		if a, ok := e.Detail.(*dicomflow.Associate); ok && a.Associate != nil {
			d.request(e, a.Associate)
		}
	case dicomflow.KindAssociateAC:
		if a, ok := e.Detail.(*dicomflow.Associate); ok && a.Associate != nil {
			d.accept(c, e, a.Associate)
		}
	case dicomflow.KindAssociateRJ:
		if r, ok := e.Detail.(*dicomflow.Reject); ok {
			d.reject(c, e, r.Reject)
		}
	case dicomflow.KindAbort:
		if a, ok := e.Detail.(*dicomflow.Abort); ok {
			d.abort(c, e, a.Abort)
		}
	case flow.KindError:
		if e.Protocol == dicomflow.Name {
			d.malformed(c, e)
		}
	case flow.KindEnd:
		if fi, ok := e.Detail.(*flow.FlowInfo); ok && fi.Protocol == dicomflow.Name {
			if as, ok := d.flows.Peek(e.Key); ok && as.state == assocRequested {
				as.state = assocAborted // closed unanswered
				d.refused(c, e, as)
			}
		}
	case httpflow.KindRequest, httpflow.KindResponse:
		if m, ok := e.Detail.(*httpflow.Message); ok && m.Msg.PreambleExecutable {
			d.httpExecutable(c, e, m)
		}
	}
}

func (d *dicomDetector) request(e *flow.Event, a *ul.Associate) {
	as, _ := d.flows.Put(e.Key)
	*as = dicomAssoc{calling: makeAE(a.CallingAE), called: makeAE(a.CalledAE), requestor: e.Src, acceptor: e.Dst, state: assocRequested}
	ps := d.pair(e.Src.Addr(), e.Dst)
	now := e.Time
	if ps.bruteStart.IsZero() || now.Sub(ps.bruteStart) > d.bruteWindow {
		ps.bruteStart, ps.requests, ps.refused = now, 0, 0
		ps.reqCalling, ps.reqCalled = aeSet{}, aeSet{}
	}
	ps.requests++
	ps.reqCalling.add(as.calling)
	ps.reqCalled.add(as.called)
}

func (d *dicomDetector) pair(src netip.Addr, dst netip.AddrPort) *dicomPairState {
	ps, _ := d.pairs.Put(dicomPair{src: src.Unmap(), dst: netip.AddrPortFrom(dst.Addr().Unmap(), dst.Port())})
	return ps
}

// assoc returns the association of e's flow, creating it from an event
// seen without its request (the capture started later): the requestor is
// then the destination of a reply from the acceptor.
func (d *dicomDetector) assoc(e *flow.Event, fromAcceptor bool) *dicomAssoc {
	as, isNew := d.flows.Put(e.Key)
	if isNew {
		as.requestor, as.acceptor = e.Src, e.Dst
		if fromAcceptor {
			as.requestor, as.acceptor = e.Dst, e.Src
		}
	}
	return as
}

func (d *dicomDetector) accept(c *Context, e *flow.Event, a *ul.Associate) {
	as := d.assoc(e, true)
	if as.state == 0 {
		as.calling, as.called = makeAE(a.CallingAE), makeAE(a.CalledAE)
	}
	as.state = assocAccepted
	d.known.Put(as.calling)
	d.known.Put(as.called)

	ps := d.pair(as.requestor.Addr(), as.acceptor)
	now := e.Time
	if ps.anyStart.IsZero() || now.Sub(ps.anyStart) > d.anyWindow {
		ps.anyStart, ps.accepted = now, 0
		ps.accCalling, ps.accCalled = aeSet{}, aeSet{}
	}
	ps.accepted++
	ps.accCalling.add(as.calling)
	ps.accCalled.add(as.called)
	src := netip.AddrPortFrom(as.requestor.Addr(), 0)
	if ps.accCalling.n >= d.anyTitles || ps.accCalled.n >= d.anyTitles {
		if al := c.AlertSeverity(ruleAnyAE, Medium, e.Key, src, as.acceptor); al != nil {
			al.Summary = "SCP accepts associations under any AE title: " + strconv.Itoa(max(ps.accCalling.n, ps.accCalled.n)) +
				" distinct titles from one source accepted"
			al.Evidence = append(al.Evidence, Field{"calling_aes", ps.accCalling.String()}, Field{"called_aes", ps.accCalled.String()},
				Field{"accepted", strconv.Itoa(ps.accepted)}, Field{"window_s", strconv.FormatFloat(d.anyWindow.Seconds(), 'f', -1, 64)})
		}
		return
	}
	if def, which := toolkitDefault(&as.calling, &as.called); def != "" {
		if al := c.AlertSeverity(ruleAnyAE, Low, e.Key, src, as.acceptor); al != nil {
			al.Summary = "SCP accepted the toolkit default " + which + " AE title " + def
			al.Evidence = append(al.Evidence, Field{"calling_ae", as.calling.String()}, Field{"called_ae", as.called.String()})
		}
	}
}

// toolkitDefault returns the AE title of an association that is a DICOM
// toolkit's default, and which one it is ("called" or "calling"). Sources:
// the dcmtk manual pages of echoscu, findscu, storescu, movescu and getscu
// (calling AE title defaults ECHOSCU, FINDSCU, STORESCU, MOVESCU, GETSCU;
// called AE title default ANY-SCP); nmap's scripts/dicom-ping.nse
// (dicom.called_aet, default ANY-SCP); pynetdicom's ApplicationEntity
// (ae_title default PYNETDICOM).
func toolkitDefault(calling, called *aeTitle) (string, string) {
	if called.String() == "ANY-SCP" {
		return "ANY-SCP", "called"
	}
	switch s := calling.String(); s {
	case "ECHOSCU", "FINDSCU", "STORESCU", "MOVESCU", "GETSCU", "PYNETDICOM":
		return s, "calling"
	}
	return "", ""
}

func (d *dicomDetector) reject(c *Context, e *flow.Event, r ul.Reject) {
	as := d.assoc(e, true)
	as.state = assocRejected
	src := netip.AddrPortFrom(as.requestor.Addr(), 0)
	if a := c.Alert(ruleAssocReject, e.Key, src, as.acceptor); a != nil {
		a.Summary = "association rejected: " + r.ReasonString()
		a.Evidence = append(a.Evidence, Field{"result", r.Result.String()}, Field{"source", r.Source.String()},
			Field{"reason", r.ReasonString()})
		if as.calling != (aeTitle{}) || as.called != (aeTitle{}) {
			a.Evidence = append(a.Evidence, Field{"calling_ae", as.calling.String()}, Field{"called_ae", as.called.String()})
		}
	}
	d.refused(c, e, as)
}

// refused counts a refused association request of its pair, and raises
// ae-bruteforce when the pair crosses the thresholds.
func (d *dicomDetector) refused(c *Context, e *flow.Event, as *dicomAssoc) {
	ps, ok := d.pairs.Peek(dicomPair{src: as.requestor.Addr().Unmap(), dst: netip.AddrPortFrom(as.acceptor.Addr().Unmap(), as.acceptor.Port())})
	if !ok || ps.requests == 0 {
		return
	}
	ps.refused++
	titles := max(ps.reqCalling.n, ps.reqCalled.n)
	if ps.requests < d.bruteMin || titles < d.bruteTitles || float64(ps.refused) < d.bruteFraction*float64(ps.requests) {
		return
	}
	if a := c.Alert(ruleAEBruteforce, e.Key, netip.AddrPortFrom(as.requestor.Addr(), 0), as.acceptor); a != nil {
		a.Summary = "AE title guessing: " + strconv.Itoa(ps.refused) + " of " + strconv.Itoa(ps.requests) +
			" associations refused under " + strconv.Itoa(titles) + " distinct AE titles"
		a.Evidence = append(a.Evidence, Field{"requests", strconv.Itoa(ps.requests)}, Field{"refused", strconv.Itoa(ps.refused)},
			Field{"called_aes", ps.reqCalled.String()}, Field{"calling_aes", ps.reqCalling.String()},
			Field{"window_s", strconv.FormatFloat(d.bruteWindow.Seconds(), 'f', -1, 64)})
	}
}

func (d *dicomDetector) abort(c *Context, e *flow.Event, ab ul.Abort) {
	as, ok := d.flows.Peek(e.Key)
	if ok && as.state == assocRequested && e.Src == as.acceptor {
		as.state = assocAborted
		d.refused(c, e, as)
	}
	if ab.Source != ul.AbortServiceProvider {
		return
	}
	switch ab.Reason {
	case ul.AbortUnrecognizedPDU, ul.AbortUnexpectedPDU, ul.AbortUnrecognizedPDUParameter,
		ul.AbortUnexpectedPDUParameter, ul.AbortInvalidPDUParameterValue:
	default:
		return
	}
	// The aborting peer complains of what the other one sent.
	if a := c.Alert(ruleMalformed, e.Key, netip.AddrPortFrom(e.Dst.Addr(), 0), e.Src); a != nil {
		a.Summary = "peer aborted the association for a protocol error: " + ab.ReasonString()
		a.Evidence = append(a.Evidence, Field{"abort_reason", ab.ReasonString()})
	}
}

func (d *dicomDetector) malformed(c *Context, e *flow.Event) {
	if a := c.Alert(ruleMalformed, e.Key, netip.AddrPortFrom(e.Src.Addr(), 0), e.Dst); a != nil {
		a.Summary = "malformed DICOM"
		if de, ok := e.Detail.(*flow.DecodeErrorDetail); ok && de.Err != nil {
			a.Summary += ": " + de.Err.Error()
			a.Evidence = append(a.Evidence, Field{"error", de.Err.Error()})
			if de.Offset >= 0 {
				a.Evidence = append(a.Evidence, Field{"offset", strconv.FormatInt(de.Offset, 10)})
			}
		}
	}
}

func (d *dicomDetector) httpExecutable(c *Context, e *flow.Event, m *httpflow.Message) {
	if a := c.Alert(ruleExecutable, e.Key, e.Src, e.Dst); a != nil {
		a.Summary = "DICOM file with an executable in its preamble sent over HTTP"
		h := &m.Msg
		if e.Kind == httpflow.KindRequest {
			a.Evidence = append(a.Evidence, Field{"method", string(h.Method)}, Field{"path", string(h.Target)})
		} else {
			a.Evidence = append(a.Evidence, Field{"status", strconv.Itoa(h.Status)})
		}
		if len(h.ContentType) > 0 {
			a.Evidence = append(a.Evidence, Field{"content_type", string(h.ContentType)})
		}
		if k := dicom.InspectPreamble(preambleOf(h.BodyPrefix)); k.IsExecutable() {
			a.Evidence = append(a.Evidence, Field{"preamble", k.String()})
		}
	}
}

// preambleOf returns the 128-byte preamble of a body that starts with a
// Part 10 file, nil otherwise (a multipart body's file is further on).
func preambleOf(b []byte) []byte {
	if len(b) >= 132 && string(b[128:132]) == "DICM" {
		return b[:128]
	}
	return nil
}

func (d *dicomDetector) dimse(c *Context, e *flow.Event, dm *dicomflow.DIMSE) {
	m := dm.Message
	switch m.Command {
	case ul.CStoreRQ:
		d.store(c, e, dm)
	case ul.CFindRQ, ul.CGetRQ, ul.CMoveRQ:
		as := d.assoc(e, false)
		if as.state == 0 { // the capture started inside the association
			as.calling, as.called = makeAE(dm.CallingAE), makeAE(dm.CalledAE)
		}
		qr := queryRetrieve(m)
		if m.Command == ul.CFindRQ {
			as.findSet, as.findID, as.findPending, as.findFired = qr && m.HasMessageID, m.MessageID, 0, false
		}
		if qr && sweep(m) {
			d.sweep(c, e, as, m)
		} else if qr && m.Command == ul.CFindRQ && patientWildcard(m) {
			d.wildcard(c, e, as)
		}
		if m.Command == ul.CMoveRQ {
			d.move(c, e, as, m)
		}
	case ul.CFindRSP:
		as, ok := d.flows.Peek(e.Key)
		if !ok || !as.findSet || !m.HasRespondedTo || m.RespondedTo != as.findID || m.Status.Category() != ul.CategoryPending {
			return
		}
		as.findPending++
		if as.findPending >= d.sweepPending && !as.findFired {
			as.findFired = true
			if a := c.Alert(ruleQuerySweep, e.Key, netip.AddrPortFrom(as.requestor.Addr(), 0), as.acceptor); a != nil {
				a.Summary = "C-FIND answered by " + strconv.Itoa(as.findPending) + " matches or more"
				a.Evidence = append(a.Evidence, Field{"matches", strconv.Itoa(as.findPending)},
					Field{"calling_ae", as.calling.String()}, Field{"called_ae", as.called.String()})
				if len(m.QueryLevel) > 0 {
					a.Evidence = append(a.Evidence, Field{"level", string(m.QueryLevel)})
				}
			}
		}
	case ul.CMoveRSP:
		if m.HasStatus && m.Status.Category() == ul.CategoryFailure {
			d.moveRefused(c, e, dm)
		}
	}
}

// moveRefused raises move-unknown-destination for a C-MOVE the SCP failed
// with status 0xA801 (move destination unknown), or failed with no
// sub-operation completed when its destination was unknown at the request
// (Orthanc answers 0xC000 for a destination it does not know).
func (d *dicomDetector) moveRefused(c *Context, e *flow.Event, dm *dicomflow.DIMSE) {
	m := dm.Message
	as, ok := d.flows.Peek(e.Key)
	ours := ok && as.moveSet && m.HasRespondedTo && m.RespondedTo == as.moveID
	if m.Status != 0xA801 && !(ours && as.moveUnknown && m.Completed <= 0) {
		return
	}
	src, dst := netip.AddrPortFrom(e.Dst.Addr(), 0), e.Src // the requestor, the SCP
	if a := c.AlertSeverity(ruleMoveUnknown, High, e.Key, src, dst); a != nil {
		a.Summary = "C-MOVE refused: move destination unknown"
		if m.Status != 0xA801 {
			a.Summary = "C-MOVE to an unknown AE title refused: " + m.Status.String()
		}
		a.Evidence = append(a.Evidence, Field{"status", "0x" + strings.ToUpper(strconv.FormatUint(uint64(m.Status)|0x10000, 16)[1:])})
		if ours {
			a.Summary += " (" + as.moveDest.String() + ")"
			a.Evidence = append(a.Evidence, Field{"move_destination", as.moveDest.String()})
		}
		a.Evidence = append(a.Evidence, Field{"calling_ae", string(dm.CallingAE)}, Field{"called_ae", string(dm.CalledAE)})
	}
}

func (d *dicomDetector) store(c *Context, e *flow.Event, dm *dicomflow.DIMSE) {
	o := &dm.Message.Object
	pre := o.Part10 && o.Preamble.IsExecutable()
	if !pre && o.Executable == dicom.PreambleNone {
		return
	}
	if a := c.Alert(ruleExecutable, e.Key, e.Src, e.Dst); a != nil {
		if pre {
			a.Summary = "C-STORE of a DICOM file with a " + o.Preamble.String() + " executable in its preamble"
			a.Evidence = append(a.Evidence, Field{"preamble", o.Preamble.String()})
		} else {
			a.Summary = "C-STORE of an object with a " + o.Executable.String() + " executable in element " + o.ExecutableTag.String()
		}
		if o.Executable != dicom.PreambleNone {
			a.Evidence = append(a.Evidence, Field{"executable", o.Executable.String()}, Field{"element", o.ExecutableTag.String()})
		}
		a.Evidence = append(a.Evidence, Field{"sop_instance_uid", string(o.SOPInstance)},
			Field{"calling_ae", string(dm.CallingAE)}, Field{"called_ae", string(dm.CalledAE)})
	}
}

// queryRetrieve reports whether a C-FIND, C-GET or C-MOVE request is of a
// query/retrieve information model (patient root, study root,
// patient/study only, composite instance root: 1.2.840.10008.5.1.4.1.2.*),
// or has a query/retrieve level when its SOP class is unknown. Worklist
// queries, which modalities make broad by design, are not.
func queryRetrieve(m *ul.Message) bool {
	sop := m.AffectedSOPClass
	if len(sop) == 0 {
		return len(m.QueryLevel) > 0
	}
	return bytes.HasPrefix(sop, []byte("1.2.840.10008.5.1.4.1.2."))
}

// sweep reports whether a query's identifier matches every patient: at
// the PATIENT level or with a patient key, and no key that narrows the
// match (each is empty, a return key, or made only of '*'). Sequence keys
// are not looked into and narrow nothing.
func sweep(m *ul.Message) bool {
	patient := string(m.QueryLevel) == "PATIENT"
	for i := range m.Query {
		q := &m.Query[i]
		if q.VR == dicom.SQ {
			continue
		}
		switch q.Tag {
		case 0x00080005, 0x00080201: // Specific Character Set, Timezone Offset From UTC
			continue
		}
		if patientKey(q.Tag) {
			patient = true
		}
		if !universal(q.Value) {
			return false
		}
	}
	return patient
}

// patientWildcard reports whether a query has a wildcard ('*' or '?') in
// a patient key.
func patientWildcard(m *ul.Message) bool {
	for i := range m.Query {
		if q := &m.Query[i]; patientKey(q.Tag) && bytes.ContainsAny(q.Value, "*?") {
			return true
		}
	}
	return false
}

// wildcard counts a C-FIND with a wildcard in a patient key, and raises
// query-sweep when its pair sends min-wildcard-queries in the window.
func (d *dicomDetector) wildcard(c *Context, e *flow.Event, as *dicomAssoc) {
	ps := d.pair(e.Src.Addr(), e.Dst)
	if ps.wildStart.IsZero() || e.Time.Sub(ps.wildStart) > d.sweepWindow {
		ps.wildStart, ps.wildcards = e.Time, 0
	}
	ps.wildcards++
	if ps.wildcards < d.sweepWildcards {
		return
	}
	if a := c.Alert(ruleQuerySweep, e.Key, netip.AddrPortFrom(e.Src.Addr(), 0), e.Dst); a != nil {
		a.Summary = strconv.Itoa(ps.wildcards) + " C-FINDs with wildcards in patient keys: patients enumerated"
		a.Evidence = append(a.Evidence, Field{"queries", strconv.Itoa(ps.wildcards)},
			Field{"window_s", strconv.FormatFloat(d.sweepWindow.Seconds(), 'f', -1, 64)},
			Field{"calling_ae", as.calling.String()}, Field{"called_ae", as.called.String()})
	}
}

// patientKey reports whether t identifies a patient (group 0010 of the
// Patient module: name, ID, birth date, sex, other IDs, address, ...).
func patientKey(t dicom.Tag) bool { return t.Group() == 0x0010 }

// universal reports whether a key's value matches everything: empty
// (universal matching) or only '*' wildcards.
func universal(v []byte) bool {
	for _, c := range v {
		if c != '*' && c != ' ' {
			return false
		}
	}
	return true
}

func (d *dicomDetector) sweep(c *Context, e *flow.Event, as *dicomAssoc, m *ul.Message) {
	if a := c.Alert(ruleQuerySweep, e.Key, netip.AddrPortFrom(e.Src.Addr(), 0), e.Dst); a != nil {
		level := string(m.QueryLevel)
		if level == "" {
			level = "unknown"
		}
		a.Summary = m.Command.String() + " matching every patient at the " + level + " level"
		var keys []byte
		for i := range m.Query {
			q := &m.Query[i]
			if !patientKey(q.Tag) {
				continue
			}
			if len(keys) > 0 {
				keys = append(keys, ',')
			}
			if de, ok := dicom.Lookup(q.Tag); ok && de.Keyword != "" {
				keys = append(keys, de.Keyword...)
			} else {
				keys = q.Tag.AppendTo(keys)
			}
			keys = append(keys, '=')
			if universal(q.Value) {
				keys = append(keys, q.Value...) // empty or wildcards: no patient data
			} else {
				keys = append(keys, "(a value)"...) // patient data never reaches an alert
			}
		}
		a.Evidence = append(a.Evidence, Field{"command", m.Command.String()}, Field{"level", level}, Field{"patient_keys", string(keys)},
			Field{"sop_class_uid", string(m.AffectedSOPClass)}, Field{"calling_ae", as.calling.String()}, Field{"called_ae", as.called.String()})
	}
}

func (d *dicomDetector) move(c *Context, e *flow.Event, as *dicomAssoc, m *ul.Message) {
	dest := makeAE(m.MoveDestination)
	as.moveSet, as.moveID, as.moveDest, as.moveUnknown = m.HasMessageID, m.MessageID, dest, false
	if len(m.MoveDestination) == 0 {
		return
	}
	if _, ok := d.known.Get(dest); ok {
		return
	}
	as.moveUnknown = true
	if c.Learning() {
		d.known.Put(dest)
		return
	}
	sev := Low
	if d.baselined {
		sev = High
	}
	if a := c.AlertSeverity(ruleMoveUnknown, sev, e.Key, netip.AddrPortFrom(e.Src.Addr(), 0), e.Dst); a != nil {
		a.Summary = "C-MOVE to AE title " + dest.String() + ", never seen as the peer of an accepted association"
		if !d.baselined {
			a.Summary += " (no baseline yet)"
		}
		a.Evidence = append(a.Evidence, Field{"move_destination", dest.String()}, Field{"calling_ae", as.calling.String()},
			Field{"called_ae", as.called.String()})
	}
}

// dicomBaseline is the JSON of the detector's baseline.
type dicomBaseline struct {
	// KnownAEs are the AE titles seen as the peers of accepted
	// associations.
	KnownAEs []string `json:"known_aes"`
}

// MarshalBaseline implements [Baseliner]: the AE titles seen as peers of
// accepted associations, sorted.
func (d *dicomDetector) MarshalBaseline() ([]byte, error) {
	b := dicomBaseline{KnownAEs: []string{}}
	if d.known != nil {
		d.known.All(func(k aeTitle, _ *struct{}) bool {
			b.KnownAEs = append(b.KnownAEs, k.String())
			return true
		})
	}
	slices.Sort(b.KnownAEs)
	return json.Marshal(b)
}

// UnmarshalBaseline implements [Baseliner]: the known AE titles are
// replaced, and C-MOVEs to titles outside them are high from then on.
func (d *dicomDetector) UnmarshalBaseline(data []byte) error {
	var b dicomBaseline
	if err := json.Unmarshal(data, &b); err != nil {
		return err
	}
	d.known = NewTable[aeTitle, struct{}](dicomMaxAEs)
	for _, s := range b.KnownAEs {
		if len(s) <= 16 {
			d.known.Put(makeAE([]byte(s)))
		}
	}
	d.baselined = true
	return nil
}
