package detect

// builtins are the constructors of the detectors of [Default], in the
// order they run; each detector's file registers its own.
var builtins []func() Detector

func register(f func() Detector) { builtins = append(builtins, f) }

// Default returns new instances of every detector of the package, in a
// fixed order: the default detector set of an [Engine].
func Default() []Detector {
	ds := make([]Detector, len(builtins))
	for i, f := range builtins {
		ds[i] = f()
	}
	return ds
}
