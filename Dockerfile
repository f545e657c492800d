# The production image: gunicorn for web, the same image for the Celery worker and beat.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
RUN DEBUG=0 SECRET_KEY=build-only-not-secret python manage.py collectstatic --noinput \
    && useradd --create-home --uid 10001 cchc && mkdir -p var/media && chown -R cchc var
USER cchc
EXPOSE 8000
CMD ["gunicorn", "cchc_portal.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
