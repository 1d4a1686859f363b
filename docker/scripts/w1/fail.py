raise RuntimeError("bad input")
