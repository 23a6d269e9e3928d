package detect

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"
)

// Config tunes an [Engine]. The zero value of a field selects its default.
type Config struct {
	// Window is the de-duplication window of alerts of one rule between
	// the same two addresses (see [Alert]); default one hour of packet
	// time.
	Window time.Duration
	// MaxAlertKeys caps the (rule, source, destination) entries kept for
	// de-duplication; default 65536. Past it the entry whose window began
	// first is emitted and dropped.
	MaxAlertKeys int
	// Learn, when positive, is a learning period of packet time from the
	// first event: baselines learn and raise nothing during it.
	Learn time.Duration
	// Rules turns rules off, sets their severity and tunes their
	// parameters, by rule ID.
	Rules map[string]RuleConfig
	// Devices, when set, names the devices of alerts (an inventory).
	Devices Devices
}

// RuleConfig configures one rule.
type RuleConfig struct {
	Disabled bool
	Severity *Severity          // nil: the rule's default
	Params   map[string]float64 // by parameter name; durations in seconds
}

func (c *Config) defaults() {
	if c.Window <= 0 {
		c.Window = time.Hour
	}
	if c.MaxAlertKeys <= 0 {
		c.MaxAlertKeys = 65536
	}
}

// MaxConfigBytes bounds a configuration file read by [ReadConfig].
const MaxConfigBytes = 1 << 20

// ErrConfigTooLarge is returned by [ReadConfig] for a file over MaxConfigBytes.
var ErrConfigTooLarge = errors.New("detect: configuration larger than 1 MiB")

// A ConfigError is a configuration file that could not be read, with the
// line and column (1-based, in bytes) where reading stopped.
type ConfigError struct {
	Line, Column int
	Offset       int64
	Err          error
}

func (e *ConfigError) Error() string {
	return fmt.Sprintf("detect: configuration line %d column %d: %v", e.Line, e.Column, e.Err)
}

func (e *ConfigError) Unwrap() error { return e.Err }

// ReadConfig reads a configuration file: one JSON object,
//
//	{
//	  "window": "1h",
//	  "learn": "30m",
//	  "max_alert_keys": 65536,
//	  "rules": {
//	    "net.scan": {"enabled": false},
//	    "dicom.query-sweep": {"severity": "critical", "params": {"min-pending": 200}}
//	  }
//	}
//
// where every member is optional, durations are Go durations ("90s",
// "1h30m"), and unknown members are errors. Whether the rules and
// parameters exist is checked by [NewEngine], which knows the detectors.
func ReadConfig(r io.Reader) (Config, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxConfigBytes+1))
	if err != nil {
		return Config{}, err
	}
	if len(data) > MaxConfigBytes {
		return Config{}, ErrConfigTooLarge
	}
	c, err := parseConfig(data)
	if err != nil {
		return Config{}, err
	}
	return c, nil
}

// configParser walks a configuration's JSON tokens, so that an error names
// where in the file it is.
type configParser struct {
	data []byte
	dec  *json.Decoder
}

func parseConfig(data []byte) (Config, error) {
	p := &configParser{data: data, dec: json.NewDecoder(bytes.NewReader(data))}
	p.dec.UseNumber()
	var c Config
	err := p.object(func(key string, at int64) error {
		switch key {
		case "window", "learn":
			d, err := p.duration()
			if key == "window" {
				c.Window = d
			} else {
				c.Learn = d
			}
			return err
		case "max_alert_keys":
			v, err := p.number()
			if err == nil && (v < 0 || v != float64(int(v))) {
				err = p.errAt(at, errors.New("max_alert_keys: want a positive integer"))
			}
			c.MaxAlertKeys = int(v)
			return err
		case "rules":
			c.Rules = map[string]RuleConfig{}
			return p.object(func(id string, at int64) error {
				var rc RuleConfig
				err := p.object(func(key string, at int64) error {
					switch key {
					case "enabled":
						v, err := p.boolean()
						rc.Disabled = !v
						return err
					case "severity":
						t, at, err := p.value()
						if err != nil {
							return err
						}
						s, ok := t.(string)
						if !ok {
							return p.errAt(at, errors.New("want a severity name"))
						}
						sev, err := ParseSeverity(s)
						if err != nil {
							return p.errAt(at, err)
						}
						rc.Severity = &sev
						return nil
					case "params":
						rc.Params = map[string]float64{}
						return p.object(func(name string, at int64) error {
							v, err := p.number()
							rc.Params[name] = v
							return err
						})
					}
					return p.errAt(at, fmt.Errorf("unknown member %q of a rule", key))
				})
				c.Rules[id] = rc
				return err
			})
		}
		return p.errAt(at, fmt.Errorf("unknown member %q", key))
	})
	if err != nil {
		return Config{}, err
	}
	if at := p.skipSpace(p.dec.InputOffset()); at < int64(len(data)) {
		return Config{}, p.errAt(at, errors.New("data after the configuration object"))
	}
	return c, nil
}

// object reads an object, calling member for each key with the offset of
// the key; member reads the value.
func (p *configParser) object(member func(key string, at int64) error) error {
	at := p.skipSpace(p.dec.InputOffset())
	t, err := p.dec.Token()
	if err != nil {
		return p.err(err)
	}
	if d, ok := t.(json.Delim); !ok || d != '{' {
		return p.errAt(at, errors.New("want an object"))
	}
	for p.dec.More() {
		at := p.skipSpace(p.dec.InputOffset())
		if at < int64(len(p.data)) && p.data[at] == ',' {
			at = p.skipSpace(at + 1)
		}
		t, err := p.dec.Token()
		if err != nil {
			return p.err(err)
		}
		if err := member(t.(string), at); err != nil {
			return err
		}
	}
	_, err = p.dec.Token() // '}'
	return p.err(err)
}

// value reads one scalar, returning it with its offset.
func (p *configParser) value() (json.Token, int64, error) {
	at := p.skipSpace(p.dec.InputOffset())
	if at < int64(len(p.data)) && p.data[at] == ':' {
		at = p.skipSpace(at + 1)
	}
	t, err := p.dec.Token()
	if err != nil {
		return nil, at, p.err(err)
	}
	if _, ok := t.(json.Delim); ok {
		return nil, at, p.errAt(at, errors.New("want a value, not an object or array"))
	}
	return t, at, nil
}

func (p *configParser) number() (float64, error) {
	t, at, err := p.value()
	if err != nil {
		return 0, err
	}
	n, ok := t.(json.Number)
	if !ok {
		return 0, p.errAt(at, errors.New("want a number"))
	}
	v, err := n.Float64()
	if err != nil {
		return 0, p.errAt(at, err)
	}
	return v, nil
}

func (p *configParser) boolean() (bool, error) {
	t, at, err := p.value()
	if err != nil {
		return false, err
	}
	b, ok := t.(bool)
	if !ok {
		return false, p.errAt(at, errors.New("want true or false"))
	}
	return b, nil
}

func (p *configParser) duration() (time.Duration, error) {
	t, at, err := p.value()
	if err != nil {
		return 0, err
	}
	s, ok := t.(string)
	if !ok {
		return 0, p.errAt(at, errors.New(`want a duration such as "90s" or "1h"`))
	}
	d, err := time.ParseDuration(s)
	if err == nil && d < 0 {
		err = errors.New("negative duration")
	}
	if err != nil {
		return 0, p.errAt(at, fmt.Errorf("invalid duration %q", s))
	}
	return d, nil
}

func (p *configParser) skipSpace(off int64) int64 {
	for off < int64(len(p.data)) {
		switch p.data[off] {
		case ' ', '\t', '\r', '\n':
			off++
			continue
		}
		break
	}
	return off
}

func (p *configParser) err(err error) error {
	if err == nil {
		return nil
	}
	return configError(p.data, p.dec.InputOffset(), err)
}

func (p *configParser) errAt(off int64, err error) error {
	return configError(p.data, off, err)
}

// configError places err at its offset: the syntax or type error's own
// when it has one, else where the decoder stopped.
func configError(data []byte, off int64, err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		off = int64(len(data))
		err = errors.New("unexpected end of file")
	}
	off = min(max(off, 0), int64(len(data)))
	line := 1 + bytes.Count(data[:off], []byte("\n"))
	col := int(off) - bytes.LastIndexByte(data[:off], '\n')
	return &ConfigError{Line: line, Column: col, Offset: off, Err: err}
}
