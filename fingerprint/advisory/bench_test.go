package advisory

import "testing"

// benchQueries are typical lookups of one device each.
var benchQueries = []struct {
	name                     string
	vendor, product, version string
}{
	{"range", "Philips", "IntelliVue MX40", "B.06.01"},
	{"unknown-version", "GE Healthcare", "Optima CT540", ""},
	{"alias", "Welch Allyn", "Connex Spot Monitor", "1.40"},
	{"family", "BD", "Alaris", "9.19"},
	{"no-product", "Philips", "DigitalDiagnost C90", "1.2"},
	{"no-vendor", "Hologic", "Selenia Dimensions", "1.7"},
}

// matchAll looks every query up once into dst.
func matchAll(dst []Advisory) int {
	n := 0
	for _, q := range benchQueries {
		n += len(AppendMatch(dst[:0], q.vendor, q.product, q.version))
	}
	return n
}

func BenchmarkMatch(b *testing.B) {
	dst := make([]Advisory, 0, 32)
	for _, q := range benchQueries {
		b.Run(q.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				dst = AppendMatch(dst[:0], q.vendor, q.product, q.version)
			}
		})
	}
	b.Run("all", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			matchAll(dst)
		}
	})
}
