"""One module per kind of AWS resource the deploy manages."""
