package host

// Boot is filled in by the boot builder.
type Boot struct{}

// boot builds Facts.Boot.
func (b *builder) boot() { b.f.Boot = &Boot{} }
