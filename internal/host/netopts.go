package host

// NetOptions are the network options of a host.
type NetOptions struct{}

// netOptions reads network options.
func (b *builder) netOptions(opt Options) {}
