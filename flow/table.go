package flow

import (
	"crypto/rand"
	"encoding/binary"
	"math/bits"
)

// flowTable maps flow IDs to flows: open addressing with linear probing and
// backward-shift deletion, so lookups touch one or two cache lines and
// nothing allocates once the table has grown to the engine's flow cap. The
// hash is seeded per table (wyhash-style multiply-mix, as the Go runtime
// uses without AES), so an attacker who cannot read the seed cannot aim
// packets at one bucket.
type flowTable struct {
	slots []tableSlot
	mask  uint64
	n     int
	seed  [3]uint64
}

type tableSlot struct {
	id flowID
	f  *Flow // nil: empty
}

const minTableSize = 64

func (t *flowTable) init() {
	var b [24]byte
	rand.Read(b[:])
	for i := range t.seed {
		t.seed[i] = binary.LittleEndian.Uint64(b[8*i:]) | 1
	}
	t.slots = make([]tableSlot, minTableSize)
	t.mask = minTableSize - 1
}

func mix(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	return hi ^ lo
}

func (t *flowTable) hash(id *flowID) uint64 {
	h := mix(id[0]^t.seed[0], id[1]^t.seed[1])
	h = mix(h^id[2], id[3]^t.seed[2])
	return mix(h^id[4], t.seed[0]^0x9e3779b97f4a7c15)
}

func (t *flowTable) get(id *flowID) *Flow {
	for i := t.hash(id) & t.mask; ; i = (i + 1) & t.mask {
		s := &t.slots[i]
		if s.f == nil {
			return nil
		}
		if s.id == *id {
			return s.f
		}
	}
}

// put inserts f under id, which must not be present.
func (t *flowTable) put(id flowID, f *Flow) {
	if (t.n+1)*4 > len(t.slots)*3 { // load factor 3/4
		t.grow()
	}
	i := t.hash(&id) & t.mask
	for t.slots[i].f != nil {
		i = (i + 1) & t.mask
	}
	t.slots[i] = tableSlot{id: id, f: f}
	t.n++
}

func (t *flowTable) grow() {
	old := t.slots
	t.slots = make([]tableSlot, 2*len(old))
	t.mask = uint64(len(t.slots) - 1)
	t.n = 0
	for _, s := range old {
		if s.f != nil {
			t.put(s.id, s.f)
		}
	}
}

// del removes id, shifting later entries of its probe run back so lookups
// never need tombstones.
func (t *flowTable) del(id *flowID) {
	i := t.hash(id) & t.mask
	for {
		s := &t.slots[i]
		if s.f == nil {
			return
		}
		if s.id == *id {
			break
		}
		i = (i + 1) & t.mask
	}
	j := i
	for {
		j = (j + 1) & t.mask
		s := &t.slots[j]
		if s.f == nil {
			break
		}
		home := t.hash(&s.id) & t.mask
		// Move s back into the hole at i unless its home lies cyclically
		// in (i, j].
		if (j > i && (home <= i || home > j)) || (j < i && home <= i && home > j) {
			t.slots[i] = *s
			i = j
		}
	}
	t.slots[i] = tableSlot{}
	t.n--
}

func (t *flowTable) len() int { return t.n }
