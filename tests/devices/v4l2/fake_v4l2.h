/* Control interface of the fake V4L2 camera (fake_v4l2.c), an LD_PRELOAD library for tests.
 *
 * The library intercepts open/close/ioctl/mmap/munmap/select/poll for the nodes
 * /dev/video-fake0 … /dev/video-fake3 and answers like a UVC camera with one frame size: the
 * streaming I/O ioctls (QUERYCAP, ENUM_FMT, S_FMT/G_FMT, REQBUFS, QUERYBUF, QBUF, DQBUF, STREAMON,
 * STREAMOFF), mmap of its buffers, and poll/select readiness on a frame clock. Every other file
 * goes to the C library untouched. Frames are the bytes the test last set (YUYV or a JPEG),
 * copied into the next queued buffer each frame interval.
 *
 * Tests find these functions with dlsym(RTLD_DEFAULT, …): the test binary does not link the
 * library, so without the preload they are absent and the test says so. */
#ifndef KIOSK_TESTS_FAKE_V4L2_H
#define KIOSK_TESTS_FAKE_V4L2_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define FAKE_V4L2_DEVICES 4
#define FAKE_V4L2_YUYV 1u
#define FAKE_V4L2_MJPEG 2u

struct fake_v4l2_settings {
  int present;           /* 0: unplugged — open fails ENOENT, an open node answers ENODEV/POLLERR */
  int stalled;           /* 1: streaming but no frame ever comes (a camera gone quiet) */
  int frame_interval_ms; /* time between frames (33 ≈ 30 frames a second) */
  unsigned formats;      /* FAKE_V4L2_YUYV | FAKE_V4L2_MJPEG: what ENUM_FMT offers */
  int width, height;     /* the only frame size: S_FMT always settles on it */
  int capture_node;      /* 0: a node without VIDEO_CAPTURE (like a UVC metadata node) */
  int error_frames;      /* the next N frames carry V4L2_BUF_FLAG_ERROR */
  int max_buffers;       /* REQBUFS grants at most this many */
};

struct fake_v4l2_counters {
  int opens;       /* successful opens since the last reset */
  int open_fds;    /* descriptors open now */
  int mapped;      /* buffers mapped now */
  int buffers;     /* buffers allocated now (REQBUFS) */
  int streaming;   /* 1 while streaming */
  int frames;      /* frames delivered into buffers since the last reset */
  int dequeued;    /* successful DQBUFs since the last reset */
};

/* Defaults: present, 640x480, YUYV and MJPEG, 20 ms frames, 8 buffers, no frame bytes (frames
 * then carry zero bytes, which a driver must treat as corrupt). Closes nothing. */
void fake_v4l2_reset(int device);
void fake_v4l2_get(int device, struct fake_v4l2_settings* settings);
void fake_v4l2_set(int device, const struct fake_v4l2_settings* settings);
/* The bytes of every following frame (copied; at most the buffer size is delivered). */
void fake_v4l2_set_frame(int device, const void* bytes, size_t size);
void fake_v4l2_read_counters(int device, struct fake_v4l2_counters* counters);

#ifdef __cplusplus
}
#endif

#endif
