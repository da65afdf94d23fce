# The image docker-compose.yml runs for web, worker and beat.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=fund.settings.production
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-wqy-zenhei libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md ./
COPY fund fund
COPY deposits deposits
COPY withdrawals withdrawals
COPY loans loans
COPY risk risk
RUN pip install --no-cache-dir .
COPY manage.py ./
COPY templates templates
COPY static static
RUN DJANGO_SECRET_KEY=build-only python manage.py collectstatic --noinput
EXPOSE 8000
CMD ["gunicorn", "-c", "python:fund.gunicorn", "fund.wsgi", "-b", "0.0.0.0:8000"]
