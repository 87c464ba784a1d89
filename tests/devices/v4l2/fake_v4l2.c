/* A fake UVC camera for tests, as an LD_PRELOAD library (see fake_v4l2.h for what it answers).
 * The driver under test (devices/v4l2) runs unchanged: its open/ioctl/mmap/poll calls reach this
 * library instead of a kernel driver. No v4l2loopback module or /dev/video node is needed.
 *
 * The model follows videobuf2, which UVC uses: buffers are idle (with the application), queued
 * (waiting for a frame) or done (filled, waiting for DQBUF). A frame clock ticks every
 * frame_interval_ms while streaming; each tick fills the oldest queued buffer with the current
 * frame bytes, or is dropped when none is queued. Ticks are computed when the state is looked at
 * (poll, select, DQBUF, or a control call), so frames taken before set_frame keep the old bytes.
 * An unplug makes every descriptor opened before it dead: ENODEV from ioctls, POLLERR from poll. */
#define _GNU_SOURCE
#undef _FORTIFY_SOURCE /* this file defines open(); the fortified inline wrapper would clash */
#include "fake_v4l2.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/videodev2.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>

#define MAX_BUFFERS 8
#define MAX_FDS 32
#define MAX_MAPPINGS 64
#define OFFSET_STEP 0x1000000u

enum buffer_state { IDLE, QUEUED, DONE };

struct buffer {
  enum buffer_state state;
  int mapping; /* index in mappings[], or -1 */
  uint32_t bytesused;
  uint32_t flags;
  uint32_t sequence;
};

struct device {
  struct fake_v4l2_settings settings;
  struct fake_v4l2_counters counters;
  uint32_t pixelformat;
  int owner; /* the fd that allocated the buffers, or -1 */
  int buffer_count;
  size_t buffer_length;
  struct buffer buffers[MAX_BUFFERS];
  int queue[MAX_BUFFERS], queue_length; /* FIFO of QUEUED buffers */
  int done[MAX_BUFFERS], done_length;   /* FIFO of DONE buffers */
  int streaming;
  int64_t next_tick_ns;
  uint32_t sequence;
  unsigned generation; /* bumped by each unplug */
  unsigned char* frame;
  size_t frame_size;
};

struct open_fd {
  int fd; /* -1: free slot */
  int device;
  int nonblocking;
  unsigned generation;
};

struct mapping {
  void* address; /* NULL: free slot */
  size_t length;
  int device;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int initialised;
static struct device devices[FAKE_V4L2_DEVICES];
static struct open_fd fds[MAX_FDS];
static struct mapping mappings[MAX_MAPPINGS];

/* ---- the C library underneath ---- */

static void* next_symbol(const char* name) {
  void* symbol = dlsym(RTLD_NEXT, name);
  if (!symbol) {
    fprintf(stderr, "fake_v4l2: no next %s\n", name);
    abort();
  }
  return symbol;
}

static int real_open(const char* path, int flags, mode_t mode) {
  static int (*next)(const char*, int, ...);
  if (!next) next = (int (*)(const char*, int, ...))next_symbol("open");
  return next(path, flags, mode);
}
static int real_openat(int directory, const char* path, int flags, mode_t mode) {
  static int (*next)(int, const char*, int, ...);
  if (!next) next = (int (*)(int, const char*, int, ...))next_symbol("openat");
  return next(directory, path, flags, mode);
}
static int real_close(int fd) {
  static int (*next)(int);
  if (!next) next = (int (*)(int))next_symbol("close");
  return next(fd);
}
static int real_ioctl(int fd, unsigned long request, void* argument) {
  static int (*next)(int, unsigned long, ...);
  if (!next) next = (int (*)(int, unsigned long, ...))next_symbol("ioctl");
  return next(fd, request, argument);
}
static void* real_mmap(void* address, size_t length, int protection, int flags, int fd, off_t offset) {
  static void* (*next)(void*, size_t, int, int, int, off_t);
  if (!next) next = (void* (*)(void*, size_t, int, int, int, off_t))next_symbol("mmap");
  return next(address, length, protection, flags, fd, offset);
}
static int real_munmap(void* address, size_t length) {
  static int (*next)(void*, size_t);
  if (!next) next = (int (*)(void*, size_t))next_symbol("munmap");
  return next(address, length);
}
static int real_poll(struct pollfd* entries, nfds_t count, int timeout) {
  static int (*next)(struct pollfd*, nfds_t, int);
  if (!next) next = (int (*)(struct pollfd*, nfds_t, int))next_symbol("poll");
  return next(entries, count, timeout);
}
static int real_select(int count, fd_set* readable, fd_set* writable, fd_set* exceptional, struct timeval* timeout) {
  static int (*next)(int, fd_set*, fd_set*, fd_set*, struct timeval*);
  if (!next) next = (int (*)(int, fd_set*, fd_set*, fd_set*, struct timeval*))next_symbol("select");
  return next(count, readable, writable, exceptional, timeout);
}

/* ---- state (all under `lock`) ---- */

static int64_t now_ns(void) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
}

static void sleep_ms(int milliseconds) {
  struct timespec pause = {0, (long)milliseconds * 1000000L};
  nanosleep(&pause, NULL);
}

static void reset_device(int index) {
  struct device* device = &devices[index];
  free(device->frame);
  memset(device, 0, sizeof *device);
  device->settings.present = 1;
  device->settings.frame_interval_ms = 20;
  device->settings.formats = FAKE_V4L2_YUYV | FAKE_V4L2_MJPEG;
  device->settings.width = 640;
  device->settings.height = 480;
  device->settings.capture_node = 1;
  device->settings.max_buffers = MAX_BUFFERS;
  device->owner = -1;
  device->pixelformat = V4L2_PIX_FMT_YUYV;
  for (int i = 0; i < MAX_BUFFERS; ++i) device->buffers[i].mapping = -1;
}

static void initialise(void) {
  if (initialised) return;
  initialised = 1;
  for (int i = 0; i < FAKE_V4L2_DEVICES; ++i) reset_device(i);
  for (int i = 0; i < MAX_FDS; ++i) fds[i].fd = -1;
}

static int device_for_path(const char* path) {
  static const char prefix[] = "/dev/video-fake";
  if (!path || strncmp(path, prefix, sizeof prefix - 1) != 0) return -1;
  const char* digit = path + sizeof prefix - 1;
  if (digit[0] < '0' || digit[0] >= '0' + FAKE_V4L2_DEVICES || digit[1] != '\0') return -1;
  return digit[0] - '0';
}

static struct open_fd* find_fd(int fd) {
  for (int i = 0; i < MAX_FDS; ++i) {
    if (fds[i].fd == fd && fd >= 0) return &fds[i];
  }
  return NULL;
}

static int is_fake_fd(int fd) {
  pthread_mutex_lock(&lock);
  initialise();
  const int fake = find_fd(fd) != NULL;
  pthread_mutex_unlock(&lock);
  return fake;
}

static int64_t interval_ns(const struct device* device) {
  const int milliseconds = device->settings.frame_interval_ms > 0 ? device->settings.frame_interval_ms : 1;
  return (int64_t)milliseconds * 1000000;
}

static void fill_buffer(struct device* device, int index) {
  struct buffer* buffer = &device->buffers[index];
  size_t size = device->frame_size < device->buffer_length ? device->frame_size : device->buffer_length;
  if (buffer->mapping >= 0 && size > 0) memcpy(mappings[buffer->mapping].address, device->frame, size);
  buffer->bytesused = (uint32_t)size;
  buffer->flags = 0;
  if (device->settings.error_frames > 0) {
    device->settings.error_frames--;
    buffer->flags = V4L2_BUF_FLAG_ERROR;
  }
  buffer->sequence = device->sequence;
  buffer->state = DONE;
  device->done[device->done_length++] = index;
  device->counters.frames++;
}

/* Runs the frame clock up to now: each due tick fills the oldest queued buffer or is dropped. */
static void advance(struct device* device) {
  if (!device->streaming) return;
  const int64_t now = now_ns();
  const int64_t step = interval_ns(device);
  if (now - device->next_tick_ns > 1000 * step) device->next_tick_ns = now - step; /* long pause: no burst */
  while (device->next_tick_ns <= now) {
    device->sequence++;
    if (device->settings.present && !device->settings.stalled && device->queue_length > 0) {
      const int index = device->queue[0];
      memmove(device->queue, device->queue + 1, sizeof(int) * (size_t)(device->queue_length - 1));
      device->queue_length--;
      fill_buffer(device, index);
    }
    device->next_tick_ns += step;
  }
}

static void stop_streaming(struct device* device) {
  device->streaming = 0;
  device->counters.streaming = 0;
  device->queue_length = device->done_length = 0;
  for (int i = 0; i < device->buffer_count; ++i) device->buffers[i].state = IDLE;
}

static void free_buffers(struct device* device) {
  stop_streaming(device);
  for (int i = 0; i < MAX_BUFFERS; ++i) device->buffers[i].mapping = -1; /* live mappings stay in mappings[] */
  device->buffer_count = 0;
  device->counters.buffers = 0;
  device->owner = -1;
}

/* ---- the ioctls ---- */

static void fill_format(const struct device* device, struct v4l2_format* format) {
  memset(&format->fmt.pix, 0, sizeof format->fmt.pix);
  format->fmt.pix.width = (uint32_t)device->settings.width;
  format->fmt.pix.height = (uint32_t)device->settings.height;
  format->fmt.pix.pixelformat = device->pixelformat;
  format->fmt.pix.field = V4L2_FIELD_NONE;
  format->fmt.pix.bytesperline = device->pixelformat == V4L2_PIX_FMT_YUYV ? (uint32_t)device->settings.width * 2 : 0;
  format->fmt.pix.sizeimage = (uint32_t)device->settings.width * (uint32_t)device->settings.height * 2;
  format->fmt.pix.colorspace = V4L2_COLORSPACE_SRGB;
}

/* ENUM_FMT order is MJPEG first, as most UVC cameras list it: a driver must choose, not take the first. */
static uint32_t offered_format(const struct device* device, uint32_t index) {
  uint32_t list[2];
  uint32_t count = 0;
  if (device->settings.formats & FAKE_V4L2_MJPEG) list[count++] = V4L2_PIX_FMT_MJPEG;
  if (device->settings.formats & FAKE_V4L2_YUYV) list[count++] = V4L2_PIX_FMT_YUYV;
  return index < count ? list[index] : 0;
}

static int query_capabilities(const struct device* device, struct v4l2_capability* capability) {
  memset(capability, 0, sizeof *capability);
  snprintf((char*)capability->driver, sizeof capability->driver, "uvcvideo");
  snprintf((char*)capability->card, sizeof capability->card, "Fake UVC Camera");
  snprintf((char*)capability->bus_info, sizeof capability->bus_info, "usb-0000:00:14.0-1");
  capability->version = 0x060100;
  capability->capabilities = V4L2_CAP_VIDEO_CAPTURE | V4L2_CAP_META_CAPTURE | V4L2_CAP_STREAMING | V4L2_CAP_DEVICE_CAPS;
  capability->device_caps = device->settings.capture_node ? V4L2_CAP_VIDEO_CAPTURE | V4L2_CAP_STREAMING
                                                          : V4L2_CAP_META_CAPTURE | V4L2_CAP_STREAMING;
  return 0;
}

static int set_format(struct device* device, struct v4l2_format* format) {
  if (format->type != V4L2_BUF_TYPE_VIDEO_CAPTURE) return EINVAL;
  if (device->buffer_count > 0) return EBUSY;
  const uint32_t wanted = format->fmt.pix.pixelformat;
  const int known = (wanted == V4L2_PIX_FMT_YUYV && (device->settings.formats & FAKE_V4L2_YUYV)) ||
                    (wanted == V4L2_PIX_FMT_MJPEG && (device->settings.formats & FAKE_V4L2_MJPEG));
  device->pixelformat = known ? wanted : offered_format(device, 0);
  fill_format(device, format);
  return 0;
}

static int request_buffers(struct device* device, int fd, struct v4l2_requestbuffers* request) {
  if (request->type != V4L2_BUF_TYPE_VIDEO_CAPTURE || request->memory != V4L2_MEMORY_MMAP) return EINVAL;
  if (device->owner >= 0 && device->owner != fd) return EBUSY;
  if (device->streaming) return EBUSY;
  for (int i = 0; i < device->buffer_count; ++i) {
    if (device->buffers[i].mapping >= 0) return EBUSY; /* videobuf2: no reallocation while mapped */
  }
  free_buffers(device);
  if (request->count == 0) return 0;
  int count = (int)request->count;
  if (count > device->settings.max_buffers) count = device->settings.max_buffers;
  if (count > MAX_BUFFERS) count = MAX_BUFFERS;
  device->buffer_count = count;
  device->buffer_length = (size_t)device->settings.width * (size_t)device->settings.height * 2;
  device->owner = fd;
  device->counters.buffers = count;
  request->count = (uint32_t)count;
  return 0;
}

static int check_buffer(const struct device* device, int fd, const struct v4l2_buffer* buffer) {
  if (buffer->type != V4L2_BUF_TYPE_VIDEO_CAPTURE || buffer->memory != V4L2_MEMORY_MMAP) return EINVAL;
  if (device->owner != fd) return EBUSY;
  if (buffer->index >= (uint32_t)device->buffer_count) return EINVAL;
  return 0;
}

static void describe_buffer(const struct device* device, int index, struct v4l2_buffer* buffer) {
  const struct buffer* state = &device->buffers[index];
  buffer->index = (uint32_t)index;
  buffer->length = (uint32_t)device->buffer_length;
  buffer->m.offset = (uint32_t)index * OFFSET_STEP;
  buffer->bytesused = state->bytesused;
  buffer->sequence = state->sequence;
  buffer->field = V4L2_FIELD_NONE;
  buffer->flags = state->flags | (state->state == QUEUED ? V4L2_BUF_FLAG_QUEUED : 0) |
                  (state->state == DONE ? V4L2_BUF_FLAG_DONE : 0) | (state->mapping >= 0 ? V4L2_BUF_FLAG_MAPPED : 0);
}

static int queue_buffer(struct device* device, int fd, struct v4l2_buffer* buffer) {
  const int invalid = check_buffer(device, fd, buffer);
  if (invalid) return invalid;
  struct buffer* state = &device->buffers[buffer->index];
  if (state->state != IDLE) return EINVAL;
  state->state = QUEUED;
  device->queue[device->queue_length++] = (int)buffer->index;
  describe_buffer(device, (int)buffer->index, buffer);
  return 0;
}

static int dequeue_buffer(struct device* device, struct open_fd* entry, struct v4l2_buffer* buffer) {
  const int invalid = buffer->type != V4L2_BUF_TYPE_VIDEO_CAPTURE || buffer->memory != V4L2_MEMORY_MMAP;
  if (invalid) return EINVAL;
  if (device->owner != entry->fd) return EBUSY;
  if (!device->streaming) return EINVAL;
  advance(device);
  while (device->done_length == 0) {
    if (entry->nonblocking) return EAGAIN;
    pthread_mutex_unlock(&lock);
    sleep_ms(1);
    pthread_mutex_lock(&lock);
    if (entry->generation != device->generation) return ENODEV;
    if (!device->streaming) return EINVAL;
    advance(device);
  }
  const int index = device->done[0];
  memmove(device->done, device->done + 1, sizeof(int) * (size_t)(device->done_length - 1));
  device->done_length--;
  describe_buffer(device, index, buffer);
  buffer->flags &= ~(uint32_t)V4L2_BUF_FLAG_DONE;
  device->buffers[index].state = IDLE;
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  buffer->timestamp.tv_sec = now.tv_sec;
  buffer->timestamp.tv_usec = now.tv_nsec / 1000;
  device->counters.dequeued++;
  return 0;
}

static int stream(struct device* device, int fd, const int* type, int on) {
  if (*type != V4L2_BUF_TYPE_VIDEO_CAPTURE) return EINVAL;
  if (device->owner != fd) return device->owner < 0 ? EINVAL : EBUSY;
  if (!on) {
    stop_streaming(device);
    return 0;
  }
  if (device->buffer_count == 0) return EINVAL;
  if (!device->streaming) {
    device->streaming = 1;
    device->counters.streaming = 1;
    device->next_tick_ns = now_ns() + interval_ns(device);
  }
  return 0;
}

static int fake_ioctl(struct open_fd* entry, unsigned long request, void* argument) {
  struct device* device = &devices[entry->device];
  if (entry->generation != device->generation || !device->settings.present) return ENODEV;
  switch (request) {
    case VIDIOC_QUERYCAP: return query_capabilities(device, argument);
    case VIDIOC_ENUM_FMT: {
      struct v4l2_fmtdesc* description = argument;
      if (description->type != V4L2_BUF_TYPE_VIDEO_CAPTURE) return EINVAL;
      const uint32_t fourcc = offered_format(device, description->index);
      if (!fourcc) return EINVAL;
      description->pixelformat = fourcc;
      description->flags = fourcc == V4L2_PIX_FMT_MJPEG ? V4L2_FMT_FLAG_COMPRESSED : 0;
      snprintf((char*)description->description, sizeof description->description, "%s",
               fourcc == V4L2_PIX_FMT_MJPEG ? "Motion-JPEG" : "YUYV 4:2:2");
      return 0;
    }
    case VIDIOC_G_FMT: {
      struct v4l2_format* format = argument;
      if (format->type != V4L2_BUF_TYPE_VIDEO_CAPTURE) return EINVAL;
      fill_format(device, format);
      return 0;
    }
    case VIDIOC_S_FMT: return set_format(device, argument);
    case VIDIOC_REQBUFS: return request_buffers(device, entry->fd, argument);
    case VIDIOC_QUERYBUF: {
      struct v4l2_buffer* buffer = argument;
      const int invalid = check_buffer(device, entry->fd, buffer);
      if (invalid) return invalid;
      describe_buffer(device, (int)buffer->index, buffer);
      return 0;
    }
    case VIDIOC_QBUF: return queue_buffer(device, entry->fd, argument);
    case VIDIOC_DQBUF: return dequeue_buffer(device, entry, argument);
    case VIDIOC_STREAMON: return stream(device, entry->fd, argument, 1);
    case VIDIOC_STREAMOFF: return stream(device, entry->fd, argument, 0);
    default: return ENOTTY;
  }
}

/* Readiness of one fake descriptor for poll: POLLIN when a buffer is done, POLLERR when the
 * device is gone or not streaming (as videobuf2 answers). */
static short fake_revents(struct open_fd* entry, short wanted) {
  struct device* device = &devices[entry->device];
  if (entry->generation != device->generation || !device->settings.present) return POLLERR | POLLHUP;
  if (!device->streaming || device->owner != entry->fd) return POLLERR;
  advance(device);
  return device->done_length > 0 ? (short)(wanted & (POLLIN | POLLRDNORM)) : 0;
}

/* ---- interposed C library calls ---- */

static int fake_open(int index, int flags) {
  pthread_mutex_lock(&lock);
  initialise();
  struct device* device = &devices[index];
  if (!device->settings.present) {
    pthread_mutex_unlock(&lock);
    errno = ENOENT;
    return -1;
  }
  struct open_fd* slot = NULL;
  for (int i = 0; i < MAX_FDS && !slot; ++i) {
    if (fds[i].fd < 0) slot = &fds[i];
  }
  const int fd = slot ? real_open("/dev/null", O_RDWR | O_CLOEXEC, 0) : -1;
  if (fd < 0) {
    pthread_mutex_unlock(&lock);
    errno = EMFILE;
    return -1;
  }
  slot->fd = fd;
  slot->device = index;
  slot->nonblocking = (flags & O_NONBLOCK) != 0;
  slot->generation = device->generation;
  device->counters.opens++;
  device->counters.open_fds++;
  pthread_mutex_unlock(&lock);
  return fd;
}

static mode_t mode_argument(int flags, va_list arguments) {
  return (flags & (O_CREAT | O_TMPFILE)) ? (mode_t)va_arg(arguments, int) : 0;
}

int open(const char* path, int flags, ...) {
  va_list arguments;
  va_start(arguments, flags);
  const mode_t mode = mode_argument(flags, arguments);
  va_end(arguments);
  const int index = device_for_path(path);
  return index >= 0 ? fake_open(index, flags) : real_open(path, flags, mode);
}

int open64(const char* path, int flags, ...) {
  va_list arguments;
  va_start(arguments, flags);
  const mode_t mode = mode_argument(flags, arguments);
  va_end(arguments);
  const int index = device_for_path(path);
  return index >= 0 ? fake_open(index, flags) : real_open(path, flags | O_LARGEFILE, mode);
}

int openat(int directory, const char* path, int flags, ...) {
  va_list arguments;
  va_start(arguments, flags);
  const mode_t mode = mode_argument(flags, arguments);
  va_end(arguments);
  const int index = device_for_path(path);
  return index >= 0 ? fake_open(index, flags) : real_openat(directory, path, flags, mode);
}

int openat64(int directory, const char* path, int flags, ...) {
  va_list arguments;
  va_start(arguments, flags);
  const mode_t mode = mode_argument(flags, arguments);
  va_end(arguments);
  const int index = device_for_path(path);
  return index >= 0 ? fake_open(index, flags) : real_openat(directory, path, flags | O_LARGEFILE, mode);
}

int __open_2(const char* path, int flags) { return open(path, flags); }
int __open64_2(const char* path, int flags) { return open64(path, flags); }

int close(int fd) {
  pthread_mutex_lock(&lock);
  initialise();
  struct open_fd* entry = find_fd(fd);
  if (entry) {
    struct device* device = &devices[entry->device];
    if (device->owner == fd) free_buffers(device); /* the driver frees them when the last user closes */
    device->counters.open_fds--;
    entry->fd = -1;
  }
  pthread_mutex_unlock(&lock);
  return real_close(fd);
}

int ioctl(int fd, unsigned long request, ...) {
  va_list arguments;
  va_start(arguments, request);
  void* argument = va_arg(arguments, void*);
  va_end(arguments);
  pthread_mutex_lock(&lock);
  initialise();
  struct open_fd* entry = find_fd(fd);
  if (!entry) {
    pthread_mutex_unlock(&lock);
    return real_ioctl(fd, request, argument);
  }
  const int error = fake_ioctl(entry, request, argument);
  pthread_mutex_unlock(&lock);
  if (error) {
    errno = error;
    return -1;
  }
  return 0;
}

static void* fake_mmap(struct open_fd* entry, size_t length, int protection, off_t offset) {
  struct device* device = &devices[entry->device];
  if (entry->generation != device->generation || !device->settings.present) {
    errno = ENODEV;
    return MAP_FAILED;
  }
  const uint64_t index = (uint64_t)offset / OFFSET_STEP;
  if ((uint64_t)offset % OFFSET_STEP != 0 || index >= (uint64_t)device->buffer_count || length == 0 ||
      length > device->buffer_length || device->buffers[index].mapping >= 0) {
    errno = EINVAL;
    return MAP_FAILED;
  }
  int slot = -1;
  for (int i = 0; i < MAX_MAPPINGS && slot < 0; ++i) {
    if (!mappings[i].address) slot = i;
  }
  void* address = slot >= 0 ? real_mmap(NULL, length, protection, MAP_SHARED | MAP_ANONYMOUS, -1, 0) : MAP_FAILED;
  if (address == MAP_FAILED) {
    errno = ENOMEM;
    return MAP_FAILED;
  }
  mappings[slot].address = address;
  mappings[slot].length = length;
  mappings[slot].device = entry->device;
  device->buffers[index].mapping = slot;
  device->counters.mapped++;
  return address;
}

void* mmap(void* address, size_t length, int protection, int flags, int fd, off_t offset) {
  pthread_mutex_lock(&lock);
  initialise();
  struct open_fd* entry = fd >= 0 ? find_fd(fd) : NULL;
  if (!entry) {
    pthread_mutex_unlock(&lock);
    return real_mmap(address, length, protection, flags, fd, offset);
  }
  void* mapped = fake_mmap(entry, length, protection, offset);
  const int error = errno;
  pthread_mutex_unlock(&lock);
  errno = error;
  return mapped;
}

void* mmap64(void* address, size_t length, int protection, int flags, int fd, off_t offset) {
  return mmap(address, length, protection, flags, fd, offset);
}

int munmap(void* address, size_t length) {
  pthread_mutex_lock(&lock);
  initialise();
  for (int i = 0; i < MAX_MAPPINGS; ++i) {
    if (!address || mappings[i].address != address) continue;
    struct device* device = &devices[mappings[i].device];
    for (int b = 0; b < MAX_BUFFERS; ++b) {
      if (device->buffers[b].mapping == i) device->buffers[b].mapping = -1;
    }
    mappings[i].address = NULL;
    device->counters.mapped--;
  }
  pthread_mutex_unlock(&lock);
  return real_munmap(address, length);
}

/* Waits like poll(2) over a mix of fake and real descriptors, in 1 ms steps. */
int poll(struct pollfd* entries, nfds_t count, int timeout) {
  int any_fake = 0;
  for (nfds_t i = 0; i < count && !any_fake; ++i) any_fake = is_fake_fd(entries[i].fd);
  if (!any_fake) return real_poll(entries, count, timeout);
  const int64_t deadline = now_ns() + (int64_t)timeout * 1000000;
  for (;;) {
    int ready = 0;
    for (nfds_t i = 0; i < count; ++i) {
      pthread_mutex_lock(&lock);
      struct open_fd* entry = find_fd(entries[i].fd);
      if (entry) entries[i].revents = fake_revents(entry, entries[i].events);
      pthread_mutex_unlock(&lock);
      if (!entry) {
        entries[i].revents = 0;
        if (entries[i].fd >= 0 && real_poll(&entries[i], 1, 0) < 0) return -1;
      }
      if (entries[i].revents) ++ready;
    }
    if (ready > 0 || timeout == 0 || (timeout > 0 && now_ns() >= deadline)) return ready;
    sleep_ms(1);
  }
}

/* select(2) on the same model: a fake descriptor is readable when a buffer is done, and both
 * readable and exceptional when the device is gone. */
int select(int count, fd_set* readable, fd_set* writable, fd_set* exceptional, struct timeval* timeout) {
  int any_fake = 0;
  for (int fd = 0; fd < count && !any_fake; ++fd) {
    if ((readable && FD_ISSET(fd, readable)) || (exceptional && FD_ISSET(fd, exceptional))) any_fake = is_fake_fd(fd);
  }
  if (!any_fake) return real_select(count, readable, writable, exceptional, timeout);
  const int64_t deadline = timeout ? now_ns() + (int64_t)timeout->tv_sec * 1000000000 + (int64_t)timeout->tv_usec * 1000 : 0;
  fd_set want_read, want_write, want_except;
  FD_ZERO(&want_read);
  FD_ZERO(&want_write);
  FD_ZERO(&want_except);
  if (readable) want_read = *readable;
  if (writable) want_write = *writable;
  if (exceptional) want_except = *exceptional;
  for (;;) {
    int ready = 0;
    fd_set out_read = want_read, out_write = want_write, out_except = want_except;
    struct timeval zero = {0, 0};
    /* The real descriptors first, without waiting; then the fake ones are set by hand. */
    for (int fd = 0; fd < count; ++fd) {
      if (is_fake_fd(fd)) {
        FD_CLR(fd, &out_read);
        FD_CLR(fd, &out_write);
        FD_CLR(fd, &out_except);
      }
    }
    const int real_ready = real_select(count, &out_read, &out_write, &out_except, &zero);
    if (real_ready < 0) return -1;
    ready += real_ready;
    for (int fd = 0; fd < count; ++fd) {
      pthread_mutex_lock(&lock);
      struct open_fd* entry = find_fd(fd);
      const short revents = entry ? fake_revents(entry, POLLIN) : 0;
      pthread_mutex_unlock(&lock);
      if (!entry) continue;
      if (FD_ISSET(fd, &want_read) && (revents & (POLLIN | POLLERR))) {
        FD_SET(fd, &out_read);
        ++ready;
      }
      if (FD_ISSET(fd, &want_except) && (revents & POLLERR)) {
        FD_SET(fd, &out_except);
        ++ready;
      }
    }
    if (ready > 0 || (timeout && now_ns() >= deadline)) {
      if (readable) *readable = out_read;
      if (writable) *writable = out_write;
      if (exceptional) *exceptional = out_except;
      return ready;
    }
    sleep_ms(1);
  }
}

/* ---- control ---- */

static int valid_device(int device) { return device >= 0 && device < FAKE_V4L2_DEVICES; }

void fake_v4l2_reset(int device) {
  if (!valid_device(device)) return;
  pthread_mutex_lock(&lock);
  initialise();
  const struct device* old = &devices[device];
  const unsigned generation = old->generation + 1; /* descriptors from before the reset are dead */
  const int mapped = old->counters.mapped;
  reset_device(device);
  devices[device].generation = generation;
  devices[device].counters.mapped = mapped;
  for (int i = 0; i < MAX_FDS; ++i) {
    if (fds[i].fd >= 0 && fds[i].device == device) devices[device].counters.open_fds++;
  }
  pthread_mutex_unlock(&lock);
}

void fake_v4l2_get(int device, struct fake_v4l2_settings* settings) {
  if (!valid_device(device)) return;
  pthread_mutex_lock(&lock);
  initialise();
  *settings = devices[device].settings;
  pthread_mutex_unlock(&lock);
}

void fake_v4l2_set(int device, const struct fake_v4l2_settings* settings) {
  if (!valid_device(device)) return;
  pthread_mutex_lock(&lock);
  initialise();
  struct device* state = &devices[device];
  advance(state); /* frames due so far come from the old settings */
  if (state->settings.present && !settings->present) {
    state->generation++; /* unplug: every open descriptor is dead from now on */
    free_buffers(state);
  }
  state->settings = *settings;
  if (state->settings.max_buffers < 1) state->settings.max_buffers = 1;
  pthread_mutex_unlock(&lock);
}

void fake_v4l2_set_frame(int device, const void* bytes, size_t size) {
  if (!valid_device(device)) return;
  unsigned char* copy = size ? malloc(size) : NULL;
  if (size && !copy) abort();
  if (size) memcpy(copy, bytes, size);
  pthread_mutex_lock(&lock);
  initialise();
  struct device* state = &devices[device];
  advance(state); /* frames taken before the change keep the old picture */
  free(state->frame);
  state->frame = copy;
  state->frame_size = size;
  pthread_mutex_unlock(&lock);
}

void fake_v4l2_read_counters(int device, struct fake_v4l2_counters* counters) {
  if (!valid_device(device)) return;
  pthread_mutex_lock(&lock);
  initialise();
  *counters = devices[device].counters;
  pthread_mutex_unlock(&lock);
}
