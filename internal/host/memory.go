package host

// Memory is filled in by the memory builder.
type Memory struct{}

// memory builds Facts.Memory.
func (b *builder) memory() { b.f.Memory = &Memory{} }
