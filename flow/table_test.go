package flow

import (
	"math/rand/v2"
	"testing"
)

// TestFlowTable checks the open-addressing table against a Go map under
// random inserts, lookups and deletes, with few distinct keys so probe runs
// collide and wrap around.
func TestFlowTable(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var tab flowTable
	tab.init()
	ref := map[flowID]*Flow{}
	flows := make([]Flow, 4096)
	for i := range 200_000 {
		id := flowID{0, uint64(r.IntN(3)), 0, uint64(r.IntN(600)), uint64(r.IntN(4))}
		f := &flows[i%len(flows)]
		switch want := ref[id]; {
		case r.IntN(3) == 0 && want != nil:
			tab.del(&id)
			delete(ref, id)
		case want == nil && r.IntN(2) == 0:
			tab.put(id, f)
			ref[id] = f
		}
		if got := tab.get(&id); got != ref[id] {
			t.Fatalf("step %d: get = %p, want %p", i, got, ref[id])
		}
		if tab.len() != len(ref) {
			t.Fatalf("step %d: len %d, want %d", i, tab.len(), len(ref))
		}
	}
	for id, f := range ref {
		if tab.get(&id) != f {
			t.Fatal("lost an entry")
		}
	}
}
