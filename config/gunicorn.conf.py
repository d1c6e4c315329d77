"""Gunicorn (serveur d'application de production) : `gunicorn -c config/gunicorn.conf.py config.wsgi`.

Tout vient de l'environnement (voir README, « Mise en production »). Le journal des requêtes est celui de
l'application (une ligne par requête, avec son identifiant, son utilisateur et sa durée : commun/middleware.py) ;
gunicorn n'écrit que ses propres messages, sur la sortie d'erreur."""

import os

# Adresse d'écoute : la boucle locale par défaut ; derrière un mandataire inverse sur une autre machine,
# GUNICORN_BIND=0.0.0.0:8000 (le port ne doit alors être joignable que par le mandataire).
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Processus de travail : WEB_CONCURRENCY, la variable usuelle des hébergeurs ; par défaut 2 × cœurs + 1.
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1) + 1))
# Un rapport PDF se compose en une à deux secondes : large marge avant d'abandonner une requête.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# Processus renouvelés de temps en temps (mémoire de WeasyPrint), jamais tous en même temps.
max_requests = 1000
max_requests_jitter = 100
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Le mandataire pose X-Forwarded-Proto ; Django le lit lui-même (SECURE_PROXY_SSL_HEADER, config/settings/base.py).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Pas de socket de commande (gunicorn ≥ 25) : on pilote le serveur par signaux (systemd, orchestrateur).
control_socket_disable = True
