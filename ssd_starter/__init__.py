"""SSD Starter: an offline toolkit for promoters of Social and Solidarity Economy Districts."""

__version__ = "0.1.0"
APP_NAME = "SSD Starter"
APP_ID = "ssd-starter"
