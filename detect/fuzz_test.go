package detect_test

import (
	"bytes"
	"testing"

	"github.com/medtap/medtap/detect"
)

// FuzzReadConfig: any file gives a configuration or an error, never a
// panic; an error from a file under the size limit names a line and a
// column within it, and a configuration that NewEngine accepts runs.
func FuzzReadConfig(f *testing.F) {
	for _, s := range []string{
		`{}`,
		`{"window":"10m","learn":"1h","max_alert_keys":10,"rules":{"cleartext.credentials":{"enabled":false,"severity":"low","params":{}}}}`,
		"{\n \"rules\": {\"net.scan\": {\"params\": {\"min-ports\": 5}}}}",
		`{"rules":{"x":{"severity":3}}}`,
		`{"window":"-1s"}`,
		`[1,2]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := detect.ReadConfig(bytes.NewReader(data))
		if err != nil {
			if ce, ok := err.(*detect.ConfigError); ok {
				if ce.Line < 1 || ce.Column < 1 || ce.Offset < 0 || ce.Offset > int64(len(data)) {
					t.Fatalf("error position %+v outside the input of %d bytes", ce, len(data))
				}
			}
			return
		}
		if cfg.Window < 0 || cfg.Learn < 0 || cfg.MaxAlertKeys < 0 {
			t.Fatalf("negative limits: %+v", cfg)
		}
		e, err := detect.NewEngine(cfg, nil, nil)
		if err != nil {
			return
		}
		e.Event(login(t0, "10.0.0.1:4000", "10.0.0.2:21", "admin", true, 1))
		e.Flush()
	})
}

// FuzzReadBaseline: any input loads or fails, never panics, and a loaded
// baseline writes back as valid JSON.
func FuzzReadBaseline(f *testing.F) {
	e, _ := newEngine(f, detect.Config{})
	var buf bytes.Buffer
	e.WriteBaseline(&buf)
	f.Add(buf.Bytes())
	f.Add([]byte(`{"format":"medtap-baseline","version":1,"detectors":{"baseline":{}}}`))
	f.Add([]byte(`{"format":"medtap-baseline","version":1,"detectors":{"baseline":{"devices":["10.0.0.1"]}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		e, _ := newEngine(t, detect.Config{})
		if err := e.ReadBaseline(bytes.NewReader(data), 1<<20); err != nil {
			return
		}
		var out bytes.Buffer
		if _, err := e.WriteBaseline(&out); err != nil {
			t.Fatal(err)
		}
	})
}
