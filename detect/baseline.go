package detect

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
)

// A Baseliner is a [Detector] that learns what is normal: its baseline can
// be saved after a learning run and loaded before a detecting one.
type Baseliner interface {
	Detector
	// MarshalBaseline returns the learned baseline as JSON.
	MarshalBaseline() ([]byte, error)
	// UnmarshalBaseline replaces the baseline with one MarshalBaseline
	// wrote, keeping within the detector's caps (what is over them is
	// dropped, not an error).
	UnmarshalBaseline(data []byte) error
}

// baselineFormat names the format of baseline files.
const baselineFormat = "medtap-baseline"

// DefaultMaxBaselineBytes bounds a baseline read by [Engine.ReadBaseline]
// when its maxBytes is 0.
const DefaultMaxBaselineBytes = 256 << 20

// ErrBaselineTooLarge is returned by [Engine.ReadBaseline] for a baseline
// over its limit.
var ErrBaselineTooLarge = errors.New("detect: baseline larger than the limit")

type baselineFile struct {
	Format    string                     `json:"format"`
	Version   int                        `json:"version"`
	Detectors map[string]json.RawMessage `json:"detectors"`
}

// WriteBaseline writes the baselines of the engine's [Baseliner]s to w as
// one JSON document (the detectors by name, in name order).
func (e *Engine) WriteBaseline(w io.Writer) (int64, error) {
	f := baselineFile{Format: baselineFormat, Version: 1, Detectors: map[string]json.RawMessage{}}
	for _, d := range e.detectors {
		if b, ok := d.(Baseliner); ok {
			data, err := b.MarshalBaseline()
			if err != nil {
				return 0, fmt.Errorf("detect: baseline of %s: %w", d.Name(), err)
			}
			f.Detectors[d.Name()] = data
		}
	}
	var buf bytes.Buffer
	buf.WriteString(`{"format":"medtap-baseline","version":1,"detectors":{`)
	for i, name := range slices.Sorted(maps.Keys(f.Detectors)) {
		if i > 0 {
			buf.WriteByte(',')
		}
		k, _ := json.Marshal(name)
		buf.Write(k)
		buf.WriteString(":\n")
		buf.Write(f.Detectors[name])
	}
	buf.WriteString("}}\n")
	n, err := w.Write(buf.Bytes())
	return int64(n), err
}

// ReadBaseline loads a baseline that [Engine.WriteBaseline] wrote into the
// engine's [Baseliner]s, reading at most maxBytes (0:
// DefaultMaxBaselineBytes). Baselines of detectors the engine does not run
// are ignored; a detector the file does not name keeps its own. Loading a
// baseline ends an explicit learning phase.
func (e *Engine) ReadBaseline(r io.Reader, maxBytes int64) error {
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBaselineBytes
	}
	data, err := io.ReadAll(io.LimitReader(r, maxBytes+1))
	if err != nil {
		return err
	}
	if int64(len(data)) > maxBytes {
		return ErrBaselineTooLarge
	}
	var f baselineFile
	if err := json.Unmarshal(data, &f); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return fmt.Errorf("detect: baseline: offset %d: %w", se.Offset, err)
		}
		return fmt.Errorf("detect: baseline: %w", err)
	}
	if f.Format != baselineFormat {
		return fmt.Errorf("detect: baseline: format %q, want %q", f.Format, baselineFormat)
	}
	if f.Version != 1 {
		return fmt.Errorf("detect: baseline: version %d not supported", f.Version)
	}
	for _, d := range e.detectors {
		b, ok := d.(Baseliner)
		if !ok {
			continue
		}
		if data, ok := f.Detectors[d.Name()]; ok {
			if err := b.UnmarshalBaseline(data); err != nil {
				return fmt.Errorf("detect: baseline of %s: %w", d.Name(), err)
			}
		}
	}
	e.learning = false
	return nil
}
