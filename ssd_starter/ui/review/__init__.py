"""The Centre review area (``page.ReviewPage``): the Centre's advisor reads the districts and comments."""
