"""Extension instances only; app/__init__.py wires them to the app."""

from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

from app.database import Database
from app.i18n import AppBabel

db = Database()
babel = AppBabel()
csrf = CSRFProtect()
login_manager = LoginManager()
