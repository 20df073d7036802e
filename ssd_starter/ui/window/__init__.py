"""The main window's parts: the areas and their lazily built pages, the actions with their shortcuts and
menus, the toolbar with the district switcher, the undo stacks, the district commands and their dialog, and
what the window keeps between runs. ``ui/main_window.py`` puts them together."""
