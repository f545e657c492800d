# The production image: gunicorn for web, the same image for the Celery worker and beat.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
# Pango and fonts for WeasyPrint's PDFs; the PKCS#11 module loader for USB signing tokens.
RUN apt-get update && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-noto-core \
        opensc \
    && rm -rf /var/lib/apt/lists/*
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
RUN DEBUG=0 SECRET_KEY=build-only-not-secret python manage.py collectstatic --noinput \
    && useradd --create-home --uid 10001 cchc && mkdir -p var/media var/keys && chmod 700 var/keys && chown -R cchc var
USER cchc
EXPOSE 8000
# Workers, threads, keep-alive: gunicorn.conf.py, the settings `make load` measures (WEB_WORKERS, WEB_THREADS).
CMD ["gunicorn", "--config", "gunicorn.conf.py", "cchc_portal.wsgi"]
