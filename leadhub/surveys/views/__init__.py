"""Survey pages: setting up and reading administrations, and answering them."""
