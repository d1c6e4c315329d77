# Suivi des contrats des solidarités – commandes du projet (`make help`).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
STAMP := $(VENV)/.installe

.DEFAULT_GOAL := help
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: help install chromium libreoffice demo run serve test e2e quality fix bench charge

help: ## Affiche cette aide
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP) ## Crée .venv et installe les dépendances épinglées

demo: install ## Migre, charge les données réelles, les comptes de démonstration et le contrat fictif (idempotent)
	$(MANAGE) migrate --noinput
	$(MANAGE) charger_donnees
	$(MANAGE) creer_comptes_demo
	$(MANAGE) charger_demo_fictive

run: demo ## Sert la démonstration sur http://127.0.0.1:8000
	$(MANAGE) runserver 127.0.0.1:8000

# make serve : les réglages de production (config.settings.base), gunicorn et whitenoise, avec une clé secrète tirée
# pour ce poste seulement (fichier non suivi par git). Seule dérogation, affichée : HTTP simple en local.
CLE_LOCALE := $(CURDIR)/.cle-secrete-locale
DEROGATION_HTTP := DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_SECURE_COOKIES=0 DJANGO_HSTS_SECONDS=0
SERVE_ENV := DJANGO_SETTINGS_MODULE=config.settings.base DJANGO_SECRET_KEY_FILE=$(CLE_LOCALE) \
	DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost $(DEROGATION_HTTP)

serve: install ## Sert l'application comme en production (gunicorn, DEBUG désactivé) sur http://127.0.0.1:8000
	@test -s $(CLE_LOCALE) || (umask 077 && $(PY) -c "import secrets; print(secrets.token_urlsafe(64))" > $(CLE_LOCALE))
	@echo "Réglages de production, avec une dérogation locale pour HTTP simple (jamais en production) :"
	@echo "  $(DEROGATION_HTTP)"
	$(SERVE_ENV) $(MANAGE) migrate --noinput
	$(SERVE_ENV) $(MANAGE) createcachetable
	$(SERVE_ENV) $(MANAGE) collectstatic --noinput -v0
	@echo "Tâches de fond (rapports par lots, courriels) : manage.py db_worker, lancé à côté de gunicorn, arrêté avec lui."
	$(SERVE_ENV) sh -c '$(MANAGE) db_worker --interval 1 & travailleur=$$!; \
		trap "kill $$travailleur 2>/dev/null" EXIT INT TERM; $(VENV)/bin/gunicorn -c config/gunicorn.conf.py config.wsgi'

test: install libreoffice ## Lance toute la suite de tests (base choisie par DATABASE_URL, SQLite par défaut)
	$(PY) -m pytest -m "not e2e" -q -n 2 --durations=10

chromium: ## Installe Chromium de Debian pour les tests de navigateur (si absent)
	@command -v chromium >/dev/null 2>&1 || ($(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium)

libreoffice: ## Installe LibreOffice Calc (recalcul des classeurs), HarfBuzz-Subset (polices des PDF), pdftotext si absents
	@command -v soffice >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1 && ldconfig -p | grep -q libharfbuzz-subset \
		|| ($(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq \
		--no-install-recommends libreoffice-calc-nogui libharfbuzz-subset0 poppler-utils)

e2e: install chromium node_modules/.installe ## Tests de navigateur (Playwright + Chromium de Debian)
	$(PY) -m pytest -m e2e -q

# axe-core (tests d'accessibilité), à la version épinglée par package-lock.json ; réinstallé quand le verrou change.
node_modules/.installe: package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || ($(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nodejs npm)
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

quality: install ## ruff, djlint, migrations à jour, dépendances dans un seul sens, check --deploy
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint templates --lint
	$(MANAGE) makemigrations --check --dry-run
	$(MANAGE) verifier_dependances
	DJANGO_SETTINGS_MODULE=config.settings.base DJANGO_ALLOWED_HOSTS=contrats.example.fr \
		DJANGO_SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" \
		$(MANAGE) check --deploy --fail-level WARNING

fix: install ## Corrige automatiquement le style (ruff)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: install ## Mesures de performance (temps, mémoire, requêtes)
	$(PY) -m benchmarks

# Essai de charge contre un serveur déjà lancé par `make serve` (voir README) ; hors de la CI. Locust est épinglé
# dans l'extra « charge » de pyproject.toml, installé à la première utilisation.
CHARGE_HOTE ?= http://127.0.0.1:8000
CHARGE_UTILISATEURS ?= 50
CHARGE_DUREE ?= 60s
$(VENV)/.charge: pyproject.toml
	$(PY) -m pip install --quiet -e ".[dev,charge]"
	touch $@

charge: install $(VENV)/.charge ## Essai de charge (locust, 50 utilisateurs, 60 s) contre `make serve` sur 127.0.0.1
	$(VENV)/bin/locust -f charge/locustfile.py --headless --host $(CHARGE_HOTE) -u $(CHARGE_UTILISATEURS) \
		-r $(CHARGE_UTILISATEURS) -t $(CHARGE_DUREE) --only-summary --stop-timeout 5
