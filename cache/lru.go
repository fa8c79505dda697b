package cache

// lru is an intrusive doubly linked list of nodes, most recently used
// first. It allocates nothing: the links live in the nodes.
type lru struct {
	root node // sentinel: root.next is the most recent, root.prev the least
}

// init empties the list.
func (l *lru) init() {
	l.root.next = &l.root
	l.root.prev = &l.root
}

// pushFront inserts n, which must not be in the list, as the most recent.
func (l *lru) pushFront(n *node) {
	n.prev = &l.root
	n.next = l.root.next
	n.next.prev = n
	l.root.next = n
}

// remove takes n out of the list.
func (l *lru) remove(n *node) {
	n.prev.next = n.next
	n.next.prev = n.prev
	n.prev, n.next = nil, nil
}

// touch makes n, which must be in the list, the most recent.
func (l *lru) touch(n *node) {
	if l.root.next == n {
		return
	}
	l.remove(n)
	l.pushFront(n)
}

// back returns the least recently used node. The list must not be empty.
func (l *lru) back() *node { return l.root.prev }
