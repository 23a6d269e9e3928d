package flow

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"hash"
)

// PHIPolicy says how event fields that can hold patient data (protected
// health information: DICOM query keys, ASTM patient records, POCT1-A
// patient ids, ...) are written. The zero value is [PHIHash].
type PHIPolicy uint8

const (
	// PHIHash writes a keyed hash of the value ("h:" and 16 hex digits of
	// HMAC-SHA256), so that equal values still correlate across events
	// without being readable. The key is [Config.PHIKey], or random per
	// engine.
	PHIHash PHIPolicy = iota
	// PHIKeep writes values as they are, for forensics.
	PHIKeep
	// PHIDrop writes null in place of the value: its presence is kept.
	PHIDrop
)

var phiNames = [...]string{"hash", "keep", "drop"}

func (p PHIPolicy) String() string {
	if int(p) < len(phiNames) {
		return phiNames[p]
	}
	return fmt.Sprintf("PHIPolicy(%d)", uint8(p))
}

// ParsePHIPolicy returns the policy named "hash", "keep" or "drop".
func ParsePHIPolicy(s string) (PHIPolicy, error) {
	for i, n := range phiNames {
		if s == n {
			return PHIPolicy(i), nil
		}
	}
	return 0, fmt.Errorf("flow: PHI policy %q: want hash, keep or drop", s)
}

// PHI writes patient data into event JSON under an engine's policy. A
// Detail that carries patient data keeps the PHI its decoder got from
// [Context.PHI] and writes those fields with it; a nil *PHI hashes with a
// key random per process. Not safe for concurrent use, like the engine.
//
// Whatever the policy, an empty value and one made only of wildcards (*, ?)
// are written as they are: that a query asks for every patient is what a
// detector needs to see.
type PHI struct {
	policy PHIPolicy
	mac    hash.Hash
	sum    [sha256.Size]byte
}

// NewPHI returns a PHI with the policy and, for PHIHash, the key (nil for
// a random one).
func NewPHI(policy PHIPolicy, key []byte) *PHI {
	p := &PHI{policy: policy}
	if policy == PHIHash {
		if len(key) == 0 {
			key = make([]byte, 32)
			rand.Read(key)
		}
		p.mac = hmac.New(sha256.New, key)
	}
	return p
}

var defaultPHI = NewPHI(PHIHash, nil)

// Policy returns the policy.
func (p *PHI) Policy() PHIPolicy {
	if p == nil {
		return PHIHash
	}
	return p.policy
}

// AppendValue appends v as a JSON value under the policy: a string (keep),
// "h:" and 16 hex digits of its keyed hash (hash; spaces around v are
// ignored, so padded and unpadded values hash alike) or null (drop).
func (p *PHI) AppendValue(dst, v []byte) []byte {
	if p == nil {
		p = defaultPHI
	}
	if p.policy == PHIKeep || plainPHI(v) {
		return AppendQuotedBytes(dst, v)
	}
	if p.policy == PHIDrop {
		return append(dst, "null"...)
	}
	p.mac.Reset()
	p.mac.Write(bytes.TrimSpace(v))
	sum := p.mac.Sum(p.sum[:0])
	dst = append(dst, `"h:`...)
	for _, c := range sum[:8] {
		dst = append(dst, hexDigits[c>>4], hexDigits[c&15])
	}
	return append(dst, '"')
}

// Append appends `,"key":` and the value under the policy.
func (p *PHI) Append(dst []byte, key string, v []byte) []byte {
	return p.AppendValue(appendKey(dst, key), v)
}

// AppendNonEmpty is [PHI.Append] when v is not empty.
func (p *PHI) AppendNonEmpty(dst []byte, key string, v []byte) []byte {
	if len(v) == 0 {
		return dst
	}
	return p.Append(dst, key, v)
}

// plainPHI reports whether v says nothing about a patient: empty, or only
// wildcards and spaces.
func plainPHI(v []byte) bool {
	for _, c := range v {
		if c != '*' && c != '?' && c != ' ' {
			return false
		}
	}
	return true
}
