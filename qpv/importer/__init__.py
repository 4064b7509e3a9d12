"""Import new figures safely: read a CSV or XLSX file, check it, preview the changes, commit, undo.

An import is saved as files under data/imports/<import_id>/ (observations.csv and import.json) and the store
is rebuilt from the files; undoing moves the folder to data/imports/.undone/ and rebuilds.
"""
