package host

// Patches is filled in by the patches builder.
type Patches struct{}

// patches builds Facts.Patches.
func (b *builder) patches() { b.f.Patches = &Patches{} }
