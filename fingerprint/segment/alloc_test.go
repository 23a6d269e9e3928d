//go:build !race

package segment

import "testing"

// TestAddAllocs proves Add allocates nothing in steady state: when the
// tuple is held, and when every Add evicts one.
func TestAddAllocs(t *testing.T) {
	var held Collector
	flows := repeatFlows()
	addFlows(&held, flows, len(flows))
	if n := testing.AllocsPerRun(10, func() { addFlows(&held, flows, len(flows)) }); n != 0 {
		t.Errorf("held: %v allocations for %d flows", n, len(flows))
	}
	churn := Collector{MaxTuples: 4096}
	flows = churnFlows()
	addFlows(&churn, flows, len(flows))
	if n := testing.AllocsPerRun(10, func() { addFlows(&churn, flows, len(flows)) }); n != 0 {
		t.Errorf("evicting: %v allocations for %d flows", n, len(flows))
	}
	if s := churn.Stats(); s.Evicted < 10*8192 {
		t.Errorf("evicting: only %d evictions", s.Evicted)
	}
}
