package main

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/medtap/medtap/detect"
	"github.com/medtap/medtap/fingerprint"
	"github.com/medtap/medtap/flow"
)

// detectOptions are the flags of the detectors.
type detectOptions struct {
	off        bool   // -detect=false
	config     string // -detect-config FILE
	baseline   string // -baseline FILE: learn from the inputs, save the baseline
	detectWith string // -detect-with FILE: load a baseline, detect
}

// newDetector builds the detect engine medscan runs behind the inventory,
// emitting to sink. Without a baseline to detect with, a learning period in
// the configuration or -baseline, the baseline rules are off: everything
// would be new.
func newDetector(o detectOptions, inv *fingerprint.Inventory, sink detect.AlertSink) (*detect.Engine, error) {
	if o.off {
		return nil, nil
	}
	var cfg detect.Config
	if o.config != "" {
		f, err := os.Open(o.config)
		if err != nil {
			return nil, err
		}
		cfg, err = detect.ReadConfig(f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", o.config, err)
		}
	}
	cfg.Devices = inv
	ds := detect.Default()
	if o.detectWith == "" && o.baseline == "" && cfg.Learn == 0 {
		for _, d := range ds {
			for _, r := range d.Rules() {
				if !r.Baseline {
					continue
				}
				if cfg.Rules == nil {
					cfg.Rules = map[string]detect.RuleConfig{}
				}
				if _, set := cfg.Rules[r.ID]; !set {
					cfg.Rules[r.ID] = detect.RuleConfig{Disabled: true}
				}
			}
		}
	}
	eng, err := detect.NewEngine(cfg, sink, ds)
	if err != nil {
		return nil, err
	}
	if o.baseline != "" {
		eng.Learn(true)
	}
	if o.detectWith != "" {
		f, err := os.Open(o.detectWith)
		if err != nil {
			return nil, err
		}
		err = eng.ReadBaseline(f, 0)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", o.detectWith, err)
		}
	}
	return eng, nil
}

// saveBaseline writes eng's baseline to name, through a temporary file.
func saveBaseline(eng *detect.Engine, name string, stderr io.Writer) error {
	if eng == nil {
		return errors.New("-baseline needs the detectors (-detect)")
	}
	tmp := name + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	n, err := eng.WriteBaseline(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, name); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "medscan: baseline %s: %d bytes\n", name, n)
	return nil
}

// alertRow is one line of the ALERTS table: the alerts of one rule,
// severity and address pair, their counts added.
type alertRow struct {
	a     detect.Alert
	count int
}

// alertTable collects alerts for the ALERTS table.
type alertTable struct {
	rows  []*alertRow
	index map[alertKey]*alertRow
}

type alertKey struct {
	id       string
	sev      detect.Severity
	src, dst netip.Addr
}

func (t *alertTable) Alert(a *detect.Alert) {
	k := alertKey{a.ID, a.Severity, a.Src.Addr(), a.Dst.Addr()}
	if r := t.index[k]; r != nil {
		r.count += a.Count
		return
	}
	if t.index == nil {
		t.index = map[alertKey]*alertRow{}
	}
	r := &alertRow{a: *a, count: a.Count}
	r.a.Evidence = slices.Clone(a.Evidence)
	t.index[k] = r
	t.rows = append(t.rows, r)
}

// write prints the table, most severe first, then by time.
func (t *alertTable) write(w io.Writer) {
	fmt.Fprintln(w, "\nALERTS")
	if len(t.rows) == 0 {
		fmt.Fprintln(w, "(none)")
		return
	}
	rows := slices.Clone(t.rows)
	slices.SortStableFunc(rows, func(x, y *alertRow) int {
		return cmp.Or(cmp.Compare(y.a.Severity, x.a.Severity), x.a.Time.Compare(y.a.Time))
	})
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SEVERITY\tID\tSOURCE\tDESTINATION\tCOUNT\tFIRST\tSUMMARY")
	for _, r := range rows {
		a := &r.a
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\t%s\n", a.Severity, a.ID, endName(a.Src, a.SrcDevice), endName(a.Dst, a.DstDevice),
			r.count, a.Time.UTC().Format("15:04:05"), a.Summary)
	}
	tw.Flush()
}

// endName writes one end of an alert: its address, and its device's name
// when known.
func endName(ap netip.AddrPort, d detect.Device) string {
	if !ap.IsValid() {
		return "-"
	}
	s := ap.Addr().String()
	if ap.Port() != 0 {
		s = ap.String()
	}
	if d.Name != "" {
		s += " (" + strings.TrimSpace(d.Name) + ")"
	}
	return s
}

// jsonAlerts writes each alert as a JSON line when it is emitted.
type jsonAlerts struct {
	w     *output
	buf   []byte
	count int
}

func (j *jsonAlerts) Alert(a *detect.Alert) {
	j.count += a.Count
	j.buf = append(a.AppendJSON(j.buf[:0]), '\n')
	j.w.Write(j.buf)
}

// detectSink feeds an event to the inventory's reporter first and then to
// the detectors, so that alerts name the devices the event made known.
type detectSink struct {
	next flow.Sink
	det  *detect.Engine
}

func (s *detectSink) Event(e *flow.Event) {
	s.next.Event(e)
	s.det.Event(e)
}
